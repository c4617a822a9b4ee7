package io.herald.internal;

import io.herald.History;
import io.herald.HeraldException;
import io.herald.Message;
import io.herald.NamespaceOptions;
import io.herald.Publication;
import io.herald.StreamPosition;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One channel's stream in the {@link MemoryEngine}: its epoch, latest offset, history and retained
 * state. Guarded by its monitor; {@link #offset}, {@link #lastActive} and {@link #removed} are
 * also read without it, hence volatile.
 *
 * <p>Memory: at most {@code history.size} publications of history (fewer once they are older than
 * {@code history.ttl}) and, in a retained namespace, at most {@code retained.maxKeys} retained
 * publications. A publication in both is held once.
 */
final class ChannelStream {
    final String epoch;
    volatile long offset;
    /** Epoch millis of completion, or 0 while active. */
    long completedAt;
    /** Epoch millis of the last publish, or of the creation. */
    volatile long lastActive;
    /** Set when removed; a caller that raced the removal retries on the map's current stream. */
    volatile boolean removed;
    /** What a {@link DiskStore} has yet to write of this stream, or {@code null}; the store's, under the lock. */
    PendingWrites pending;
    /**
     * The last publications, oldest first, offsets increasing and, but for gaps a restart after a
     * crash left (offsets lost unacknowledged or never used, see {@link HistoryFile}), contiguous; when
     * not empty, the last one is at {@link #offset} unless such a restart happened since.
     */
    private final ArrayDeque<Publication> history = new ArrayDeque<>();
    /** The latest publication per key, least recently updated first; {@code null} until the first. */
    private LinkedHashMap<String, Publication> retained;

    /** A new stream: a new epoch, offset 0. */
    ChannelStream(long createdAt) {
        this(Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36), createdAt);
    }

    private ChannelStream(String epoch, long lastActive) {
        this.epoch = epoch;
        this.lastActive = lastActive;
    }

    /** A stream as a {@link StreamStore} kept it: same epoch, offset, history and retained state. */
    static ChannelStream restored(StreamStore.Stored s) {
        ChannelStream stream = new ChannelStream(s.epoch(), s.lastActive());
        stream.offset = s.offset();
        stream.completedAt = s.completedAt();
        stream.history.addAll(s.history());
        if (!s.retained().isEmpty()) {
            stream.retained = new LinkedHashMap<>();
            for (Publication p : s.retained()) {
                stream.retained.put(retainedKey(p.message()), p);
            }
        }
        return stream;
    }

    StreamPosition position() {
        return new StreamPosition(epoch, offset);
    }

    /** The key a retained channel keeps {@code m} under: its key, else its event name. */
    static String retainedKey(Message m) {
        return m.key().orElse(m.event());
    }

    /**
     * Assigns {@code m} the next offset and records it; the caller holds the lock and hands the
     * result to the sink before releasing it.
     *
     * @throws HeraldException {@code too_large} when it would add a retained key past the bound;
     *         nothing is then recorded
     */
    Publication append(Message m, long now, NamespaceOptions options) {
        String key = null;
        if (options.retained()) {
            key = retainedKey(m);
            if (retained == null) {
                retained = new LinkedHashMap<>();
            } else if (retained.size() >= options.retainedMaxKeys() && !retained.containsKey(key)) {
                throw HeraldException.retainedKeysFull(m.channel(), options.retainedMaxKeys());
            }
        }
        Publication p = new Publication(m, epoch, offset + 1, now);
        if (options.historySize() > 0) {
            history.addLast(p);
        }
        while (history.size() > options.historySize()) {
            history.pollFirst(); // more than one when a restored stream meets a smaller history.size
        }
        evictExpired(now, options.historyTtl());
        if (key != null) {
            retained.remove(key); // re-inserted last: the map stays ordered by latest update
            retained.put(key, p);
        }
        offset = p.offset();
        completedAt = m.finalMessage() ? Math.max(1, now) : 0;
        lastActive = now;
        return p;
    }

    /** The offset of the oldest publication held, or {@code offset + 1} when none is. Caller holds the lock. */
    long historyStart() {
        return history.isEmpty() ? offset + 1 : history.peekFirst().offset();
    }

    /** Drops history older than {@code ttl}: the start of history moves, the epoch stays. Caller holds the lock. */
    void evictExpired(long now, Duration ttl) {
        long ttlMillis = ttl.toMillis();
        while (!history.isEmpty() && now - history.peekFirst().ts() >= ttlMillis) {
            history.pollFirst();
        }
    }

    /**
     * See {@link io.herald.Engine#history}. Caller holds the lock and has evicted what expired. A
     * position inside a gap a crash left (see {@link #history}) is covered: the offsets in it were
     * never acknowledged and are never reused, so what follows it is everything there is.
     */
    History read(StreamPosition since, int limit) {
        long first = historyStart();
        long after;
        if (since.epoch().isEmpty()) {
            after = first - 1;
        } else if (since.epoch().equals(epoch) && since.offset() <= offset && since.offset() >= first - 1) {
            after = since.offset();
        } else {
            return new History(position(), List.of(), false);
        }
        List<Publication> out = new ArrayList<>((int) Math.min(limit, Math.min(offset - after, history.size())));
        if (limit > 0 && after < offset) {
            int following = 0; // held publications after 'after', counted from the newest end
            for (java.util.Iterator<Publication> it = history.descendingIterator(); it.hasNext()
                    && it.next().offset() > after; ) {
                following++;
            }
            int skip = history.size() - following;
            for (Publication p : history) {
                if (skip-- > 0) {
                    continue;
                }
                out.add(p);
                if (out.size() == limit) {
                    break;
                }
            }
        }
        return new History(position(), out, true);
    }

    /** The latest publication per key, oldest first. Caller holds the lock. */
    List<Publication> retained() {
        return retained == null ? List.of() : List.copyOf(retained.values());
    }

    /** Caller holds the lock. */
    boolean removeRetained(String key) {
        return retained != null && retained.remove(key) != null;
    }
}
