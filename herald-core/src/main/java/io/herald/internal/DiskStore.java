package io.herald.internal;

import io.herald.Engine;
import io.herald.HeraldException;
import io.herald.Publication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link MemoryEngine}'s streams in one file of H2's MVStore ({@value #FILE_NAME} in the
 * data directory), with group commit: what the engine records goes into the store's maps at once
 * (in memory), and a committer thread writes it out and syncs it every flush interval, then
 * completes the publish futures of what it wrote. A {@code kill -9} therefore loses at most the
 * publications of the last flush interval, none of which was acknowledged.
 *
 * <p>Three maps, keyed by channel, a space (not allowed in channel names, and sorting before every
 * character that is) and a suffix: {@code history} (the offset, 16 hex digits, so a channel's
 * entries sort by offset), {@code retained} (the retained key) and {@code streams} (the channel's
 * epoch, offset, completion and activity times, written at commit from the latest
 * {@link Meta} each channel recorded).
 *
 * <p>A write error (a full disk) is final: the store fails the publishes it had not written and
 * every later one with {@code unavailable}, and {@link #health} reports it, until a restart.
 */
final class DiskStore implements StreamStore {
    /** The file in the data directory. */
    static final String FILE_NAME = "history.mv.db";
    /** Compact the file every this many commits (10 s at the default flush interval). */
    private static final int COMPACT_EVERY = 100;

    private static final Logger log = LoggerFactory.getLogger(DiskStore.class);

    private final Path directory;
    private final String fileName;
    private final Duration flushInterval;
    /** The latest state of each channel published since the last commit. */
    private final ConcurrentHashMap<String, Meta> dirty = new ConcurrentHashMap<>();
    /** Publishes written to the maps, waiting for the next commit. */
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    /** Guards writes to {@link #streams}: the committer's and a removal's. */
    private final Object metaLock = new Object();
    /** Guards commits: the committer's and the last one, in {@link #close}. */
    private final Object commitLock = new Object();
    private MVStore mv;
    private MVMap<String, byte[]> history;
    private MVMap<String, byte[]> retained;
    private MVMap<String, String> streams;
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

    private record Pending(CompletableFuture<Publication> future, Publication publication) {
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
            history = mv.openMap("history");
            retained = mv.openMap("retained");
            streams = mv.openMap("streams");
            stored = StoredStreams.read(streams, history, retained);
            dropUnrestored(stored);
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
        committer.scheduleWithFixedDelay(this::commit, millis, millis, TimeUnit.MILLISECONDS);
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
        if (!stale.isEmpty()) {
            mv.commit();
        }
    }

    @Override
    public CompletableFuture<Publication> appended(String channel, ChannelStream stream, Publication p,
            String retainedKey, boolean inHistory) {
        try {
            if (inHistory || retainedKey != null) {
                byte[] bytes = PublicationCodec.encode(p);
                if (inHistory) {
                    history.put(historyKey(channel, p.offset()), bytes);
                }
                if (retainedKey != null) {
                    retained.put(channel + ' ' + retainedKey, bytes);
                }
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(failed(e));
        }
        dirty.put(channel, new Meta(p.epoch(), p.offset(), stream.completedAt, stream.lastActive));
        CompletableFuture<Publication> future = new CompletableFuture<>();
        pending.add(new Pending(future, p));
        return future;
    }

    @Override
    public void trimmed(String channel, long from, long to) {
        try {
            for (long o = from; o < to; o++) {
                history.remove(historyKey(channel, o));
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void retainedRemoved(String channel, String key) {
        try {
            retained.remove(channel + ' ' + key);
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    @Override
    public void removed(String channel) {
        try {
            synchronized (metaLock) {
                dirty.remove(channel);
                streams.remove(channel);
            }
            removePrefix(history, channel + ' ');
            removePrefix(retained, channel + ' ');
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private static void removePrefix(MVMap<String, byte[]> map, String prefix) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = map.keyIterator(prefix); it.hasNext(); ) {
            String k = it.next();
            if (!k.startsWith(prefix)) {
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

    /** Writes the recorded state out and completes the publishes it covers; on the committer thread. */
    private void commit() {
        synchronized (commitLock) {
            if (closed && mv.isClosed()) {
                return;
            }
            List<Pending> batch = new ArrayList<>();
            for (Pending p; (p = pending.poll()) != null; ) {
                batch.add(p); // each was put into the maps before it was queued: this commit holds it
            }
            HeraldException f = failure;
            if (f == null) {
                try {
                    writeDirtyMeta();
                    if (mv.hasUnsavedChanges()) {
                        mv.commit();
                        mv.sync();
                    }
                    if (++commits % COMPACT_EVERY == 0) {
                        mv.compact(50, 4 << 20);
                    }
                } catch (RuntimeException e) {
                    f = failed(e);
                }
            }
            for (Pending p : batch) {
                if (f == null) {
                    p.future().complete(p.publication());
                } else {
                    p.future().completeExceptionally(f);
                }
            }
        }
    }

    private void writeDirtyMeta() {
        synchronized (metaLock) {
            for (Map.Entry<String, Meta> e : dirty.entrySet()) {
                streams.put(e.getKey(), e.getValue().encode());
                dirty.remove(e.getKey(), e.getValue());
            }
        }
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
                    mv.close();
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
                MVMap<String, byte[]> retained) {
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
                out.add(new Stored(channel, epoch, offset, meta.completedAt(), meta.lastActive(), hist, r));
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
