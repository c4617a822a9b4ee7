package io.herald.internal;

import io.herald.Engine;
import io.herald.HeraldException;
import io.herald.Publication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 500 lines (STYLE says split): the store, its committer thread and its file format are one
// unit of crash-safety reasoning; splitting the committer out is the next step (issue 12 note).
/**
 * Keeps the {@link MemoryEngine}'s streams in one file of H2's MVStore ({@value #FILE_NAME} in the
 * data directory), with group commit. The publish path only queues what changed (the publication,
 * an eviction, a removal); a committer thread, every flush interval, takes the queue, encodes and
 * writes it into the store's maps, commits and syncs, then completes the publish futures of what
 * it wrote. The committer is the only writer of the maps, so each commit holds a prefix of the
 * queue, in the order of the engine's calls (per channel, offset order). A {@code kill -9} therefore
 * loses at most the publications of the last flush interval, none of which was acknowledged.
 *
 * <p>The queue is bounded ({@value #QUEUE_BOUND} publications): when the disk cannot keep up, a
 * publish waits for room up to {@value #QUEUE_WAIT_MILLIS} ms, then fails with {@code unavailable}.
 *
 * <p><b>Offset reservation.</b> Live delivery does not wait for the commit, so a subscriber may have
 * seen offsets that a crash then loses. So that no later run gives such an offset to another
 * publication of the same epoch, the store keeps, per channel, a reservation: an offset that no
 * offset assigned so far exceeds. The committer raises it ahead of the channel's rate in the commit
 * that writes the channel's publications; a publish beyond the durable reservation of an epoch
 * already on disk raises it itself, with a commit and sync (once per block, at most). After a
 * crash a channel continues after its reservation, leaving a gap of offsets that were lost
 * (unacknowledged) or never used; a clean close records the exact offset, leaving none.
 *
 * <p>Four maps, keyed by channel, a space (not allowed in channel names, and sorting before every
 * character that is) and a suffix: {@code history} (the offset, 16 hex digits, so a channel's
 * entries sort by offset), {@code retained} (the retained key), {@code streams} (the channel's
 * epoch, offset, completion and activity times as of its last written publication) and
 * {@code reserved} (keyed by channel alone: epoch and reservation).
 *
 * <p>File size: chunks whose content was rewritten are reused after the retention time (45 s,
 * MVStore's default; shorter ones let a kill -9 leave a file that cannot be opened), and the committer compacts chunks less
 * than half full every {@value #COMPACT_EVERY} commits. The file is not compacted on open or close:
 * MVStore 2.4.240's chunk-moving compaction ({@code compactFile}, {@code close} with a compaction
 * time) fails an internal assertion on some files ({@code FreeSpaceBitSet.allocate}) and closes
 * the store, which made one graceful restart in four or so fail to open its file. So the file never
 * shrinks: it stays at its high-water mark, and its free space is reused.
 *
 * <p>A write error (a full disk) is final: the store fails the publishes it had not written and
 * every later one with {@code unavailable}, and {@link #health} reports it, until a restart.
 */
final class DiskStore implements StreamStore {
    /** How long a rewritten chunk is kept before its space is reused: MVStore's crash-safe default. */
    static final int RETENTION_MILLIS = 45_000;

    /** The file in the data directory. */
    static final String FILE_NAME = "history.mv.db";
    /** Compact the file every this many commits (1 s at the default flush interval). */
    private static final int COMPACT_EVERY = 10;
    /** Publications queued and not yet written, at most. */
    static final int QUEUE_BOUND = 1 << 18;
    /** How long a publish waits for room in a full queue. */
    static final long QUEUE_WAIT_MILLIS = 1000;
    /** The smallest block of offsets reserved ahead of a channel. */
    static final long MIN_BLOCK = 1024;

    private static final Logger log = LoggerFactory.getLogger(DiskStore.class);

    private final Path directory;
    private final String fileName;
    private final Duration flushInterval;
    /** What to write, in the engine's call order. */
    private final ConcurrentLinkedQueue<Op> queue = new ConcurrentLinkedQueue<>();
    private final Semaphore room = new Semaphore(QUEUE_BOUND);
    /** Streams that published since the store opened, for the exact reservation at close. */
    private final ConcurrentHashMap<String, ChannelStream> known = new ConcurrentHashMap<>();
    /** Guards the maps and commits: the committer's, a reservation's and the last one, in {@link #close}. */
    private final Object commitLock = new Object();
    private MVStore mv;
    private MVMap<String, byte[]> history;
    private MVMap<String, byte[]> retained;
    private MVMap<String, String> streams;
    private MVMap<String, String> reservations;
    private ScheduledExecutorService committer;
    private int commits;
    private volatile HeraldException failure;
    private volatile boolean closed;

    /** A channel's stream state as of one publication. */
    private record Meta(String epoch, long offset, long completedAt, long lastActive) {
        String encode() {
            return epoch + " " + offset + " " + completedAt + " " + lastActive;
        }

        static Meta decode(String s) {
            String[] f = s.split(" ");
            return new Meta(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
        }
    }

    /** A change to write, queued by the engine. */
    private sealed interface Op {
    }

    private record Append(String channel, ChannelStream stream, Publication publication, String retainedKey,
            boolean inHistory, long completedAt, long lastActive, CompletableFuture<Publication> future) implements Op {
    }

    private record Trim(String channel, long from, long to) implements Op {
    }

    private record RetainedRemove(String channel, String key) implements Op {
    }

    private record Remove(String channel, ChannelStream stream) implements Op {
    }

    DiskStore(Path directory, Duration flushInterval) {
        this(directory, directory.resolve(FILE_NAME).toString(), flushInterval);
    }

    /** {@code fileName} may carry an H2 file system prefix (tests inject write errors so). */
    DiskStore(Path directory, String fileName, Duration flushInterval) {
        this.directory = directory;
        this.fileName = fileName;
        this.flushInterval = flushInterval;
    }

    @Override
    public List<Stored> open() {
        try {
            Files.createDirectories(directory);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot create the data directory " + directory + " (history.dir): " + e
                    + "; create it or set history.dir to a writable directory");
        }
        List<Stored> stored;
        try {
            mv = new MVStore.Builder().fileName(fileName).autoCommitDisabled().open();
            // Chunks a commit no longer needs are reused only after the retention time. MVStore writes its
            // file header (which names the live chunks) lazily, so a short retention lets a chunk the
            // header still names be overwritten, and a kill -9 then leaves a file that cannot be
            // opened (seen: AssertionError on open with 1 s). MVStore's own default (45 s) is safe.
            mv.setRetentionTime(RETENTION_MILLIS);
            history = mv.openMap("history");
            retained = mv.openMap("retained");
            streams = mv.openMap("streams");
            reservations = mv.openMap("reserved");
            stored = StoredStreams.read(streams, history, retained, reservations);
            dropUnrestored(stored);
            stored = reserveRestored(stored);
        } catch (RuntimeException e) {
            if (mv != null) {
                mv.closeImmediately();
            }
            throw new IllegalStateException("cannot open the history store " + directory.resolve(FILE_NAME) + ": "
                    + e.getMessage() + ". If another Herald uses this data directory, stop it or set history.dir to"
                    + " another one; if the file is damaged, move it away (mv " + directory.resolve(FILE_NAME) + " "
                    + directory.resolve(FILE_NAME + ".damaged") + ") and start again with empty history");
        }
        committer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-history-commit");
            t.setDaemon(true);
            return t;
        });
        long millis = flushInterval.toMillis();
        // at a fixed rate: a commit that took longer than the interval is followed by the next at once
        committer.scheduleAtFixedRate(this::commit, millis, millis, TimeUnit.MILLISECONDS);
        log.info("history store {}: {} channels restored, group commit every {} ms",
                directory.resolve(FILE_NAME), stored.size(), millis);
        return stored;
    }

    /** Removes entries that {@link StoredStreams} left out (of an ended epoch, or cut off from the offset). */
    private void dropUnrestored(List<Stored> stored) {
        Map<String, Stored> byChannel = new java.util.HashMap<>();
        stored.forEach(s -> byChannel.put(s.channel(), s));
        List<String> stale = new ArrayList<>();
        for (String key : history.keySet()) {
            Stored s = byChannel.get(key.substring(0, key.indexOf(' ')));
            long offset = Long.parseLong(key.substring(key.indexOf(' ') + 1), 16);
            if (s.history().isEmpty() || offset < s.history().get(0).offset()) {
                stale.add(key);
            }
        }
        stale.forEach(history::remove);
        List<String> unused = new ArrayList<>();
        for (Map.Entry<String, String> e : reservations.entrySet()) {
            Stored s = byChannel.get(e.getKey());
            if (s == null || !e.getValue().startsWith(s.epoch() + " ")) {
                unused.add(e.getKey());
            }
        }
        unused.forEach(reservations::remove);
    }

    /** Reserves a block ahead of every restored stream, in one commit, so that it publishes without a sync. */
    private List<Stored> reserveRestored(List<Stored> stored) {
        List<Stored> out = new ArrayList<>(stored.size());
        for (Stored s : stored) {
            long reserved = s.offset() + MIN_BLOCK;
            reservations.put(s.channel(), s.epoch() + " " + reserved);
            out.add(new Stored(s.channel(), s.epoch(), s.offset(), reserved, s.completedAt(), s.lastActive(),
                    s.history(), s.retained()));
        }
        if (mv.hasUnsavedChanges()) {
            mv.commit();
            mv.sync();
        }
        return out;
    }

    /**
     * Makes sure no later run of {@code stream}'s epoch can assign {@code offset} again: it is at or
     * below the durable reservation; or the epoch is not on disk yet and the commit that will put it
     * there reserves past it (the committer raises {@link ChannelStream#reserved} before it writes a
     * stream's first publication, under {@link ChannelStream#reserveLock}); else this reserves a new
     * block at once, with a commit and sync.
     */
    @Override
    public void reserve(String channel, ChannelStream stream, long offset) {
        synchronized (stream.reserveLock) {
            if (offset <= stream.reservedDurable || !stream.onDisk && stream.reservedDurable == 0
                    && (stream.reserved == 0 || offset <= stream.reserved)) {
                return;
            }
        }
        synchronized (commitLock) {
            check();
            if (closed) {
                throw HeraldException.engineUnavailable("engine is closed");
            }
            long reserved;
            synchronized (stream.reserveLock) {
                reserved = Math.max(stream.reserved, offset - 1 + block(stream));
                stream.reserved = reserved;
            }
            try {
                reservations.put(channel, stream.epoch + " " + reserved);
                mv.commit();
                mv.sync();
            } catch (RuntimeException e) {
                throw failed(e);
            }
            stream.reservedDurable = reserved;
        }
    }

    /** How far ahead of its offset to reserve for {@code stream}: a few flush intervals of its recent rate. */
    private static long block(ChannelStream stream) {
        return Math.max(MIN_BLOCK, 4 * (stream.offset - stream.reservedAtOffset));
    }

    @Override
    public CompletableFuture<Publication> appended(String channel, ChannelStream stream, Publication p,
            String retainedKey, boolean inHistory) {
        if (closed) {
            return CompletableFuture.failedFuture(HeraldException.engineUnavailable("engine is closed"));
        }
        try {
            if (!room.tryAcquire() && !room.tryAcquire(QUEUE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return CompletableFuture.failedFuture(HeraldException.engineUnavailable("the history store at "
                        + directory.resolve(FILE_NAME) + " cannot keep up: " + QUEUE_BOUND
                        + " publications wait to be written"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(HeraldException.engineUnavailable("interrupted"));
        }
        if (known.get(channel) != stream) {
            known.put(channel, stream);
        }
        CompletableFuture<Publication> future = new CompletableFuture<>();
        queue.add(new Append(channel, stream, p, retainedKey, inHistory, stream.completedAt, stream.lastActive,
                future));
        return future;
    }

    @Override
    public void trimmed(String channel, long from, long to) {
        queue.add(new Trim(channel, from, to));
    }

    @Override
    public void retainedRemoved(String channel, String key) {
        queue.add(new RetainedRemove(channel, key));
    }

    @Override
    public void removed(String channel) {
        ChannelStream stream = known.remove(channel);
        queue.add(new Remove(channel, stream));
    }

    private static void removeRange(MVMap<String, byte[]> map, String from, String to) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = map.keyIterator(from); it.hasNext(); ) {
            String k = it.next();
            if (k.compareTo(to) >= 0) {
                break;
            }
            keys.add(k);
        }
        keys.forEach(map::remove);
    }

    static String historyKey(String channel, long offset) {
        String hex = Long.toHexString(offset);
        return channel + ' ' + "0000000000000000".substring(hex.length()) + hex;
    }

    @Override
    public void check() {
        HeraldException f = failure;
        if (f != null) {
            throw f;
        }
    }

    @Override
    public Engine.Health health(boolean engineClosed) {
        HeraldException f = failure;
        boolean up = !engineClosed && f == null;
        return new Engine.Health("disk", up, f != null ? f.getMessage() : engineClosed ? "closed" : "ok");
    }

    /** Writes the queued changes out and completes the publishes they hold; on the committer thread. */
    private void commit() {
        synchronized (commitLock) {
            if (mv.isClosed()) {
                return;
            }
            List<Op> batch = new ArrayList<>();
            for (Op op; (op = queue.poll()) != null; ) {
                batch.add(op);
            }
            HeraldException f = failure;
            Map<ChannelStream, Long> announced = new java.util.IdentityHashMap<>();
            if (f == null) {
                try {
                    write(batch, announced);
                    if (mv.hasUnsavedChanges()) {
                        mv.commit();
                        mv.sync();
                    }
                    announced.forEach((stream, reserved) -> stream.reservedDurable = reserved);
                    if (++commits % COMPACT_EVERY == 0) {
                        mv.compact(50, 16 << 20);
                    }
                } catch (RuntimeException e) {
                    f = failed(e);
                }
            }
            int appends = 0;
            for (Op op : batch) {
                if (op instanceof Append a) {
                    appends++;
                    if (f == null) {
                        a.future().complete(a.publication());
                    } else {
                        a.future().completeExceptionally(f);
                    }
                }
            }
            room.release(appends);
        }
    }

    /** A channel's share of a batch: its history puts not yet evicted, and the range its evictions cover. */
    private static final class ChannelBatch {
        final ArrayDeque<Append> history = new ArrayDeque<>();
        long trimFrom = Long.MAX_VALUE;
        long trimTo = Long.MIN_VALUE;
    }

    /**
     * Puts {@code batch} into the maps with the effect of applying it in order, but coalesced: a
     * publication evicted (or superseded, for a retained key) within the batch is neither encoded
     * nor written, and a channel's evictions become one range removal. Raises the reservation of
     * each stream it writes.
     */
    private void write(List<Op> batch, Map<ChannelStream, Long> announced) {
        Map<String, Append> metas = new HashMap<>(); // each channel's last publication: its stream state
        Map<String, ChannelBatch> channels = new HashMap<>();
        Map<String, Append> retainedPuts = new LinkedHashMap<>();
        for (Op op : batch) {
            if (op instanceof Append a) {
                if (!announced.containsKey(a.stream())) {
                    announced.put(a.stream(), announce(a.channel(), a.stream()));
                }
                if (a.inHistory()) {
                    channels.computeIfAbsent(a.channel(), c -> new ChannelBatch()).history.addLast(a);
                }
                if (a.retainedKey() != null) {
                    retainedPuts.put(a.channel() + ' ' + a.retainedKey(), a);
                }
                metas.put(a.channel(), a);
            } else if (op instanceof Trim t) {
                ChannelBatch cb = channels.computeIfAbsent(t.channel(), c -> new ChannelBatch());
                while (!cb.history.isEmpty() && cb.history.peekFirst().publication().offset() < t.to()) {
                    cb.history.pollFirst();
                }
                cb.trimFrom = Math.min(cb.trimFrom, t.from());
                cb.trimTo = Math.max(cb.trimTo, t.to());
            } else if (op instanceof RetainedRemove r) {
                String key = r.channel() + ' ' + r.key();
                retainedPuts.remove(key);
                retained.remove(key);
            } else if (op instanceof Remove r) {
                String prefix = r.channel() + ' ';
                channels.remove(r.channel());
                retainedPuts.keySet().removeIf(k -> k.startsWith(prefix));
                metas.remove(r.channel());
                streams.remove(r.channel());
                reservations.remove(r.channel());
                removeRange(history, prefix, r.channel() + '!');
                removeRange(retained, prefix, r.channel() + '!');
            }
        }
        for (Map.Entry<String, ChannelBatch> e : channels.entrySet()) {
            ChannelBatch cb = e.getValue();
            if (cb.trimTo > cb.trimFrom) { // evicts what earlier commits wrote; what this one evicted is gone already
                removeRange(history, historyKey(e.getKey(), cb.trimFrom), historyKey(e.getKey(), cb.trimTo));
            }
            for (Append a : cb.history) {
                history.put(historyKey(a.channel(), a.publication().offset()), PublicationCodec.encode(a.publication()));
            }
        }
        retainedPuts.forEach((key, a) -> retained.put(key, PublicationCodec.encode(a.publication())));
        metas.forEach((channel, a) -> streams.put(channel, new Meta(a.publication().epoch(), a.publication().offset(),
                a.completedAt(), a.lastActive()).encode()));
    }

    /**
     * Raises {@code stream}'s reservation ahead of its offset if it is less than half a block ahead,
     * and puts it in the maps; returns the reservation this commit holds.
     */
    private long announce(String channel, ChannelStream stream) {
        long reserved;
        boolean raised = false;
        synchronized (stream.reserveLock) {
            long block = block(stream);
            reserved = stream.reserved;
            if (reserved - stream.offset < block / 2) {
                reserved = stream.offset + block;
                stream.reserved = reserved;
                stream.reservedAtOffset = stream.offset;
                raised = true;
            }
        }
        if (raised && !stream.removed) {
            reservations.put(channel, stream.epoch + " " + reserved);
        }
        return reserved;
    }

    /** Records the first write error; every publish from now on fails with it. */
    private HeraldException failed(RuntimeException e) {
        synchronized (this) {
            if (failure == null) {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                String reason = root == e ? e.getMessage() : root.getMessage() + "; " + e.getMessage();
                failure = HeraldException.engineUnavailable("cannot write history to " + directory.resolve(FILE_NAME)
                        + " (" + reason + "); publishes fail until the disk is writable and Herald restarts");
                log.error("{}", failure.getMessage());
            }
            return failure;
        }
    }

    /** Writes out what is queued, records each channel's exact offset as its reservation (no gap), compacts, closes. */
    @Override
    public void close() {
        if (mv == null || closed) {
            return;
        }
        closed = true;
        committer.shutdown();
        try {
            committer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        commit();
        synchronized (commitLock) {
            if (failure == null) {
                try {
                    known.forEach((channel, stream) -> {
                        String r = reservations.get(channel);
                        if (!stream.removed && r != null && r.startsWith(stream.epoch + " ")) {
                            reservations.put(channel, stream.epoch + " " + stream.offset);
                        }
                    });
                    mv.commit();
                    mv.close(0); // no compaction: see the class comment on file size
                    return;
                } catch (RuntimeException e) {
                    failed(e);
                }
            }
            mv.closeImmediately();
        }
    }

    /** Reads what the maps hold into {@link Stored} streams, dropping leftovers of ended epochs. */
    private static final class StoredStreams {
        static List<Stored> read(MVMap<String, String> streams, MVMap<String, byte[]> history,
                MVMap<String, byte[]> retained, MVMap<String, String> reservations) {
            Map<String, Meta> metas = new LinkedHashMap<>();
            streams.forEach((channel, s) -> metas.put(channel, Meta.decode(s)));
            Map<String, List<Publication>> held = group(history);
            Map<String, List<Publication>> kept = group(retained);
            List<Stored> out = new ArrayList<>();
            for (String channel : union(metas.keySet(), held.keySet(), kept.keySet())) {
                List<Publication> h = held.getOrDefault(channel, List.of());
                List<Publication> r = new ArrayList<>(kept.getOrDefault(channel, List.of()));
                Meta meta = metas.get(channel);
                if (meta == null) { // written in the commit before its stream state: take it from the last one
                    Publication last = !h.isEmpty() ? h.get(h.size() - 1)
                            : r.stream().max((a, b) -> Long.compare(a.offset(), b.offset())).orElseThrow();
                    meta = new Meta(last.epoch(), 0, last.message().finalMessage() ? last.ts() : 0, last.ts());
                }
                String epoch = meta.epoch();
                List<Publication> hist = new ArrayList<>(h.stream().filter(p -> p.epoch().equals(epoch)).toList());
                r.removeIf(p -> !p.epoch().equals(epoch));
                r.sort((a, b) -> Long.compare(a.offset(), b.offset()));
                long offset = meta.offset();
                for (Publication p : hist) {
                    offset = Math.max(offset, p.offset());
                }
                for (Publication p : r) {
                    offset = Math.max(offset, p.offset());
                }
                if (!hist.isEmpty() && hist.get(hist.size() - 1).offset() != offset) {
                    hist.clear(); // history no longer ends at the offset: recovering from it would skip
                }
                long written = offset;
                String reservation = reservations.get(channel);
                if (reservation != null && reservation.startsWith(epoch + " ")) {
                    // after a crash: offsets up to the reservation may have been delivered live, never reuse them
                    offset = Math.max(offset, Long.parseLong(reservation.substring(epoch.length() + 1)));
                }
                if (offset != written) {
                    log.warn("history store: channel '{}' continues at offset {} after an unclean stop; offsets {} to {}"
                            + " were lost unacknowledged or never used", channel, offset + 1, written + 1, offset);
                }
                out.add(new Stored(channel, epoch, offset, offset, meta.completedAt(), meta.lastActive(), hist, r));
            }
            return out;
        }

        private static Map<String, List<Publication>> group(MVMap<String, byte[]> map) {
            Map<String, List<Publication>> out = new LinkedHashMap<>();
            map.forEach((key, bytes) -> {
                String channel = key.substring(0, key.indexOf(' '));
                out.computeIfAbsent(channel, c -> new ArrayList<>()).add(PublicationCodec.decode(channel, bytes));
            });
            return out;
        }

        @SafeVarargs
        private static List<String> union(java.util.Set<String>... sets) {
            java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
            for (java.util.Set<String> s : sets) {
                all.addAll(s);
            }
            return new ArrayList<>(all);
        }
    }
}
