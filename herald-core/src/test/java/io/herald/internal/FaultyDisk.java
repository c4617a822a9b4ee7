package io.herald.internal;

import io.herald.Engine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * A data directory whose disk a test controls: the disk engine it makes writes its file through an
 * H2 file system ({@code faulty:}) over the real one, whose writes fail as on a full disk while
 * {@link #full} is set, and whose syncs wait while the disk is {@linkplain #hold() held}. So a test
 * meets a real write error, or a commit that does not end, without filling a disk. Public for the
 * server's tests (herald-core's test jar).
 */
public final class FaultyDisk {
    private static final Map<Path, FaultyDisk> DISKS = new ConcurrentHashMap<>();

    static {
        FilePath.register(new FaultyFilePath());
    }

    private final Path directory;
    private volatile boolean full;
    private volatile CountDownLatch held;

    private FaultyDisk(Path directory) {
        this.directory = directory;
    }

    /** The disk under {@code directory} (absolute), healthy until told otherwise. */
    public static FaultyDisk at(Path directory) {
        FaultyDisk disk = new FaultyDisk(directory.toAbsolutePath());
        DISKS.put(disk.directory, disk);
        return disk;
    }

    /** A disk engine on this disk: {@code Engines.disk(directory, flushInterval)} but for the faults. */
    public Engine engine(Duration flushInterval) {
        return engine(flushInterval, DiskStore.DEFAULT_BOUND);
    }

    /** A disk engine on this disk whose store lets at most {@code bound} publications wait to be written. */
    public Engine engine(Duration flushInterval, int bound) {
        return new MemoryEngine(new DiskStore(directory, "faulty:" + directory.resolve(HistoryFile.FILE_NAME),
                flushInterval, bound));
    }

    /** From now on every write and sync fails with "No space left on device", or, with {@code false}, works again. */
    public void full(boolean full) {
        this.full = full;
    }

    /** From now on a sync waits until {@link #release}: a commit under way does not end. */
    public void hold() {
        held = new CountDownLatch(1);
    }

    /** Lets the syncs that wait, and later ones, go on. */
    public void release() {
        CountDownLatch h = held;
        held = null;
        if (h != null) {
            h.countDown();
        }
    }

    private void beforeWrite() throws IOException {
        if (full) {
            throw new IOException("No space left on device");
        }
    }

    private void beforeSync() throws IOException {
        CountDownLatch h = held;
        if (h != null) {
            try {
                if (!h.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("held for 60 s: the test never released the disk");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the disk was held", e);
            }
        }
        beforeWrite();
    }

    /** The {@code faulty:} file system; public with a no-argument constructor for H2, which makes one per path. */
    public static final class FaultyFilePath extends FilePathWrapper {
        @Override
        public String getScheme() {
            return "faulty";
        }

        @Override
        public FileChannel open(String mode) throws IOException {
            FaultyDisk disk = DISKS.get(Path.of(getBase().toString()).toAbsolutePath().getParent());
            FileChannel base = getBase().open(mode);
            return disk == null ? base : new Channel(base, disk);
        }
    }

    private static final class Channel extends FileBase {
        private final FileChannel base;
        private final FaultyDisk disk;

        Channel(FileChannel base, FaultyDisk disk) {
            this.base = base;
            this.disk = disk;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            disk.beforeWrite();
            return base.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            disk.beforeWrite();
            return base.write(src, position);
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            base.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            disk.beforeSync();
            base.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
