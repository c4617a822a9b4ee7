package io.herald.internal;

import io.herald.Engine;
import io.herald.HeraldException;
import io.herald.Publication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link MemoryEngine}'s streams in a {@link HistoryFile} in the data directory, with
 * group commit. The publish path never waits for the disk: it adds the publication to its stream's
 * {@link PendingWrites} and returns a future; the stream goes into the store's queue once per
 * commit. A committer thread takes every queued stream's changes, writes them (only what the
 * stream still holds: a publication evicted before its commit is never written), commits and
 * syncs, then hands the futures to another thread that completes them. So a publish is
 * acknowledged only once it is durable, and a {@code kill -9} loses at most what was published
 * since the last commit, none of it acknowledged.
 *
 * <p><b>When commits happen.</b> At most once per flush interval: a commit starts when something
 * changed and the last one started an interval ago or more, so a publish after a quiet interval is
 * acknowledged within one sync, not an interval; or early, when half of the bound waits. The
 * committer is the only writer of the file, so each commit holds, per stream, a prefix of what the
 * engine did, in the engine's order.
 *
 * <p>Threads: publishers call the {@link StreamStore} methods under their stream's lock; the file
 * is the committer's ({@code herald-history-commit}); futures complete on {@code herald-history-ack}.
 *
 * <p><b>Backpressure</b> never blocks: a publication is refused at once with {@code unavailable}
 * (HTTP 503), before it gets an offset, when {@code bound} publications wait to be committed, or
 * when its channel alone is {@code bound} offsets ahead of its last commit. The second bound is
 * exact, and it is what lets a restart after a crash continue each channel {@code bound} offsets on
 * without reusing one a subscriber may have seen (see {@link HistoryFile}).
 *
 * <p><b>A write error</b> (a full disk) fails the publishes of that commit and every later one with
 * {@code unavailable}, and {@link #health} reports it. The store keeps what it could not write and
 * tries again every {@link #retryInterval}: it reopens the file (a failed write leaves it at its last
 * commit), writes what it kept, and publishes succeed again.
 */
final class DiskStore implements StreamStore {
    /** Publications waiting to be committed, at most (and the most a channel runs ahead of its last commit). */
    static final int DEFAULT_BOUND = 1 << 18;
    /** Rewrite the file's sparse chunks at most this often (each rewrite writes live pages again). */
    private static final long COMPACT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Logger log = LoggerFactory.getLogger(DiskStore.class);

    private final Path directory;
    private final String fileName;
    private final Duration flushInterval;
    private final Duration retryInterval;
    private final int bound;
    /** Streams with changes to write, each once, in the order they first changed since their last take. */
    private final ConcurrentLinkedQueue<PendingWrites> queue = new ConcurrentLinkedQueue<>();
    /** Marks the end of one commit's share of {@link #queue}. */
    private final PendingWrites endOfTake = new PendingWrites("", new ChannelStream("", 0));
    /** Publications appended and not yet committed. */
    private final LongAdder waiting = new LongAdder();
    /** The committer's: the file, {@code null} while a write error keeps it closed. */
    private HistoryFile file;
    /** The committer's: what it took and could not write yet (a write error), oldest first. */
    private final List<PendingWrites.Taken> unwritten = new ArrayList<>();
    private long lastCompact = System.nanoTime();
    private Thread committer;
    /** Completes publish futures off the committer thread: their callbacks (answers, stats) must not delay a commit. */
    private ExecutorService acks;
    private volatile HeraldException failure;
    private volatile boolean closing;
    /** Stop at once, writing nothing more (a crash, for tests). */
    private volatile boolean abandoned;
    /** The committer waits for a first change (set by it, read by publishers to wake it). */
    private volatile boolean idle;
    /** Half the bound waits: commit without waiting for the interval. */
    private volatile boolean urgent;

    DiskStore(Path directory, Duration flushInterval) {
        this(directory, directory.resolve(HistoryFile.FILE_NAME).toString(), flushInterval, DEFAULT_BOUND);
    }

    /** {@code fileName} may carry an H2 file system prefix (tests inject disk faults so); {@code bound} as above. */
    DiskStore(Path directory, String fileName, Duration flushInterval, int bound) {
        this.directory = directory;
        this.fileName = fileName;
        this.flushInterval = flushInterval;
        this.retryInterval = flushInterval.compareTo(Duration.ofSeconds(1)) > 0 ? flushInterval : Duration.ofSeconds(1);
        this.bound = bound;
    }

    private Path path() {
        return directory.resolve(HistoryFile.FILE_NAME);
    }

    @Override
    public List<Stored> open() {
        try {
            Files.createDirectories(directory);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot create the data directory " + directory + " (history.dir): " + e
                    + "; create it, or set history.dir to a directory this user may write");
        }
        List<Stored> stored;
        try {
            file = HistoryFile.open(fileName);
            stored = file.claim(bound);
        } catch (RuntimeException e) {
            log.debug("cannot open the history store {}", path(), e);
            if (file != null) {
                file.closeImmediately();
            }
            throw cannotOpen(e);
        }
        acks = Executors.newSingleThreadExecutor(r -> daemon(r, "herald-history-ack"));
        committer = daemon(this::run, "herald-history-commit");
        committer.start();
        log.info("history store {}: {} channels restored, group commit every {} ms", path(), stored.size(),
                flushInterval.toMillis());
        return stored;
    }

    /** Says which file, what went wrong and what to do, by the kind of failure. */
    private IllegalStateException cannotOpen(RuntimeException e) {
        int code = e instanceof MVStoreException m ? m.getErrorCode() : DataUtils.ERROR_FILE_CORRUPT;
        String todo;
        if (code == DataUtils.ERROR_FILE_LOCKED) {
            todo = "Another process uses it (another Herald with the same history.dir?): stop it, or set history.dir"
                    + " to another directory";
        } else if (code == DataUtils.ERROR_FILE_CORRUPT || code == DataUtils.ERROR_UNSUPPORTED_FORMAT
                || code == DataUtils.ERROR_INTERNAL || e instanceof IllegalArgumentException
                || code == DataUtils.ERROR_READING_FAILED && Files.isRegularFile(path()) && Files.isReadable(path())) {
            todo = "The file is damaged: move it away (mv " + path() + " " + path() + ".damaged) and start again with"
                    + " empty history";
        } else {
            todo = "Check that it is a file this user may read and write, in a directory it may write, and that the"
                    + " disk is mounted and has room; or set history.dir to another directory";
        }
        return new IllegalStateException("cannot open the history store " + path() + ": " + e.getMessage() + ". "
                + todo);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void admit(String channel, ChannelStream stream) {
        HeraldException f = failure;
        if (f != null) {
            throw f;
        }
        PendingWrites pending = pending(channel, stream);
        long w = waiting.sum();
        if (w >= bound || stream.offset - pending.durableOffset >= bound) {
            throw HeraldException.engineUnavailable("the history store at " + path() + " cannot keep up: "
                    + (w >= bound ? w + " publications" : "channel " + channel + " has " + bound + " publications")
                    + " waiting to be written; retry later");
        }
        if (w >= bound / 2 && !urgent) {
            urgent = true;
            LockSupport.unpark(committer);
        }
    }

    @Override
    public CompletableFuture<Publication> appended(String channel, ChannelStream stream, Publication p,
            String retainedKey) {
        CompletableFuture<Publication> future = new CompletableFuture<>();
        PendingWrites pending = pending(channel, stream);
        pending.appended(p, future, retainedKey);
        waiting.increment();
        changed(pending);
        return future;
    }

    @Override
    public void trimmed(String channel, ChannelStream stream) {
        changed(pending(channel, stream));
    }

    @Override
    public void retainedRemoved(String channel, ChannelStream stream, String key) {
        PendingWrites pending = pending(channel, stream);
        pending.retainedRemoved(key);
        changed(pending);
    }

    @Override
    public void removed(String channel, ChannelStream stream) {
        PendingWrites pending = pending(channel, stream);
        pending.removed();
        changed(pending);
    }

    /** The stream's pending writes; the caller holds the stream's lock. */
    private static PendingWrites pending(String channel, ChannelStream stream) {
        PendingWrites p = stream.pending;
        if (p == null) {
            p = new PendingWrites(channel, stream);
            stream.pending = p;
        }
        return p;
    }

    /** Queues the stream for the next commit, once; wakes an idle committer. Caller holds the stream's lock. */
    private void changed(PendingWrites pending) {
        if (!pending.queued) {
            pending.queued = true;
            queue.add(pending);
            if (idle) {
                LockSupport.unpark(committer);
            }
        }
    }

    @Override
    public Engine.Health health(boolean engineClosed) {
        HeraldException f = failure;
        boolean up = !engineClosed && f == null;
        return new Engine.Health("disk", up, f != null ? f.getMessage() : engineClosed ? "closed" : "ok");
    }

    /** The committer thread: commits what changed, at most once per flush interval, until closed. */
    private void run() {
        long interval = flushInterval.toNanos();
        long lastCommit = System.nanoTime(); // the first commit comes an interval after the start at the earliest
        while (!abandoned) {
            boolean last = closing; // read before the take: everything published before close() is queued
            long now = System.nanoTime();
            if (failure != null && !last) { // retry a failed write every retryInterval
                long retryAt = lastCommit + retryInterval.toNanos();
                if (now < retryAt) {
                    LockSupport.parkNanos(this, retryAt - now);
                    continue;
                }
            } else if (queue.isEmpty() && !last) {
                idle = true;
                if (queue.isEmpty() && !closing) { // re-checked after 'idle' is visible: no wake-up is missed
                    LockSupport.park(this);
                }
                idle = false;
                continue;
            } else if (now - lastCommit < interval && !urgent && !last) {
                LockSupport.parkNanos(this, lastCommit + interval - now);
                continue;
            }
            lastCommit = System.nanoTime();
            urgent = false;
            commit();
            if (last) {
                return;
            }
        }
    }

    /**
     * Takes every queued stream's changes, writes them after what an earlier write error left
     * unwritten, commits and syncs; then completes their futures, or fails them if the write
     * failed. On the committer thread.
     */
    private void commit() {
        List<PendingWrites.Taken> taken = new ArrayList<>();
        queue.add(endOfTake); // a stream that changes again during the take goes to the next commit
        for (PendingWrites p; (p = queue.poll()) != endOfTake; ) {
            taken.add(p.take());
        }
        unwritten.addAll(taken);
        long appended = 0;
        for (PendingWrites.Taken t : taken) {
            appended += t.appended().size();
        }
        try {
            if (file == null) {
                file = HistoryFile.open(fileName);
            }
            for (PendingWrites.Taken t : unwritten) {
                file.write(t);
            }
            file.commit();
        } catch (RuntimeException e) {
            failed(e);
            waiting.add(-appended); // kept in 'unwritten', which refused publishes do not grow
            acknowledge(taken, failure);
            return;
        }
        waiting.add(-appended);
        if (failure != null) {
            log.info("history store {}: writable again; publishes succeed again", path());
            failure = null;
        }
        for (PendingWrites.Taken t : unwritten) {
            t.source().durableOffset = t.offset();
        }
        acknowledge(taken, null); // those of earlier takes failed already
        unwritten.clear();
        if (System.nanoTime() - lastCompact >= COMPACT_EVERY_NANOS) {
            lastCompact = System.nanoTime();
            try {
                file.compact();
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    /** Completes the futures of {@code taken}, or fails them with {@code f}, on the ack thread. */
    private void acknowledge(List<PendingWrites.Taken> taken, HeraldException f) {
        if (taken.isEmpty()) {
            return;
        }
        acks.execute(() -> {
            for (PendingWrites.Taken t : taken) {
                List<Publication> published = t.appended();
                List<CompletableFuture<Publication>> futures = t.futures();
                for (int i = 0; i < futures.size(); i++) {
                    if (f == null) {
                        futures.get(i).complete(published.get(i));
                    } else {
                        futures.get(i).completeExceptionally(f);
                    }
                }
            }
        });
    }

    /** Records a write error: every publish fails with it until a retry writes what was kept. */
    private void failed(RuntimeException e) {
        if (file != null) {
            try {
                file.closeImmediately();
            } catch (RuntimeException ignored) {
                // the file is already closed by the error; the retry reopens it
            }
            file = null;
        }
        if (failure == null) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String reason = root == e ? e.getMessage() : root.getMessage() + "; " + e.getMessage();
            failure = HeraldException.engineUnavailable("cannot write history to " + path() + " (" + reason
                    + "); publishes fail until the disk is writable again (retried every "
                    + retryInterval.toMillis() + " ms)");
            log.error("{}", failure.getMessage());
        }
    }

    /**
     * Writes out what is queued and closes the file, marked as cleanly closed (the next run
     * continues each channel right after its offset). The engine refuses publishes first.
     */
    @Override
    public void close() {
        if (committer == null || closing) {
            return;
        }
        closing = true;
        LockSupport.unpark(committer);
        try {
            committer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        acks.shutdown();
        try {
            acks.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (file == null) {
            return;
        }
        try {
            if (committer.isAlive()) {
                file.closeImmediately();
            } else if (failure == null) {
                file.closeClean();
            } else {
                file.closeImmediately();
            }
        } catch (RuntimeException e) {
            log.error("history store {}: could not close cleanly: {}", path(), e.getMessage());
        }
    }

    /** Stops writing and lets go of the file as a {@code kill -9} would: no last commit, not closed cleanly. For tests. */
    void abandon() throws InterruptedException {
        abandoned = true;
        LockSupport.unpark(committer);
        committer.join(); // after the commit it may be in, as a crash may come after a commit
        acks.shutdownNow();
        if (file != null) {
            file.closeImmediately();
        }
    }
}
