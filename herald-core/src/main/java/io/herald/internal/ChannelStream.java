package io.herald.internal;

import io.herald.History;
import io.herald.HistoryStats;
import io.herald.HeraldException;
import io.herald.Message;
import io.herald.NamespaceOptions;
import io.herald.Publication;
import io.herald.StreamPosition;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One channel's stream in the {@link MemoryEngine}: its epoch, latest offset, history and retained
 * state. Guarded by its monitor; {@link #offset}, {@link #lastActive} and {@link #removed} are
 * also read without it, hence volatile.
 *
 * <p>Memory: at most {@code history.size} publications of history (fewer once they are older than
 * {@code history.ttl}) and, in a retained namespace, at most {@code retained.maxKeys} retained
 * publications. A publication in both is held once, as an {@link Entry} whose message keeps its
 * data as JSON text and shares the stream's copy of its channel and event names (issue 12: about
 * 1.45 × the data's bytes per entry for 200 bytes of data, see {@code docs/BENCHMARKS.md}).
 */
final class ChannelStream {
    /** Event names shared per stream, at most; a message with another event keeps its own copy. */
    private static final int SHARED_EVENTS = 16;

    /** The channel's name: the engine's key, and the one copy its held messages refer to. */
    final String channel;
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
    private final ArrayDeque<Entry> history = new ArrayDeque<>();
    /** The size of the held messages' data ({@link Message#dataLength}), in bytes. */
    private long historyBytes;
    /** The latest publication per key, least recently updated first; {@code null} until the first. */
    private LinkedHashMap<String, Entry> retained;
    /** The event names of its messages, one copy each, in order of first use; {@code null} until the first. */
    private String[] events;

    /**
     * A publication as the stream holds it: without its epoch, which is the stream's (8 bytes less
     * than a {@link Publication}, per message of history: issue 12's heap per history entry). Its
     * message keeps {@code data} as JSON text and shares the channel's names.
     */
    private record Entry(Message message, long offset, long ts) {
        Publication in(String epoch) {
            return new Publication(message, epoch, offset, ts);
        }
    }

    /** A new stream: a new epoch, offset 0. */
    ChannelStream(String channel, long createdAt) {
        this(channel, Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36), createdAt);
    }

    private ChannelStream(String channel, String epoch, long lastActive) {
        this.channel = channel;
        this.epoch = epoch;
        this.lastActive = lastActive;
    }

    /** A stream as a {@link StreamStore} kept it: same epoch, offset, history and retained state. */
    static ChannelStream restored(StreamStore.Stored s, HistoryCounters counters) {
        ChannelStream stream = new ChannelStream(s.channel(), s.epoch(), s.lastActive());
        stream.offset = s.offset();
        stream.completedAt = s.completedAt();
        Map<Long, Entry> held = new HashMap<>();
        for (Publication p : s.history()) {
            Entry e = new Entry(stream.sharingNames(p.message()), p.offset(), p.ts());
            stream.hold(e, counters);
            held.put(e.offset(), e);
        }
        if (!s.retained().isEmpty()) {
            stream.retained = new LinkedHashMap<>();
            for (Publication p : s.retained()) { // one entry for a publication in both, as when published
                Entry e = held.get(p.offset());
                if (e == null) {
                    e = new Entry(stream.sharingNames(p.message()), p.offset(), p.ts());
                }
                stream.retained.put(retainedKey(e.message()), e);
            }
        }
        return stream;
    }

    /**
     * {@code m} with this stream's copy of the channel name and of the event name (also as the key
     * when the key is the event, as for a {@code coalesce} event): the messages a stream holds,
     * thousands for minutes, share their names instead of each keeping the copies a JSON parser
     * made. Costs a copy of the message (its data shared) when a name is another copy. Caller holds
     * the lock.
     */
    private Message sharingNames(Message m) {
        String event = sharedEvent(m.event());
        String key = m.key().orElse(null);
        boolean keyIsEvent = key != null && key.equals(event);
        if (m.channel() == channel && m.event() == event && (!keyIsEvent || key == event)) {
            return m;
        }
        return m.toBuilder().channel(channel).event(event).key(keyIsEvent ? event : key).build();
    }

    private String sharedEvent(String event) {
        if (events == null) {
            events = new String[2];
        }
        int i = 0;
        for (; i < events.length && events[i] != null; i++) {
            if (events[i].equals(event)) {
                return events[i];
            }
        }
        if (i == events.length) {
            if (i == SHARED_EVENTS) {
                return event;
            }
            events = Arrays.copyOf(events, Math.min(SHARED_EVENTS, 2 * i));
        }
        events[i] = event;
        return event;
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
    Publication append(Message published, long now, NamespaceOptions options, HistoryCounters counters) {
        Message m = sharingNames(published);
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
        Entry e = options.historySize() > 0 || key != null ? new Entry(m, p.offset(), now) : null;
        if (options.historySize() > 0) {
            hold(e, counters);
        }
        while (history.size() > options.historySize()) {
            // more than one when a restored stream meets a smaller history.size
            evictOldest(counters, HistoryCounters.Reason.SIZE);
        }
        evictExpired(now, options.historyTtl(), counters);
        if (key != null) {
            retained.remove(key); // re-inserted last: the map stays ordered by latest update
            retained.put(key, e);
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
    void evictExpired(long now, Duration ttl, HistoryCounters counters) {
        long ttlMillis = ttl.toMillis();
        while (!history.isEmpty() && now - history.peekFirst().ts() >= ttlMillis) {
            evictOldest(counters, HistoryCounters.Reason.TTL);
        }
    }

    private void hold(Entry e, HistoryCounters counters) {
        history.addLast(e);
        historyBytes += e.message().dataLength();
        counters.held(e.message().dataLength(), history.size() == 1);
    }

    private void evictOldest(HistoryCounters counters, HistoryCounters.Reason reason) {
        Entry e = history.pollFirst();
        historyBytes -= e.message().dataLength();
        counters.evicted(reason, e.message().dataLength(), history.isEmpty());
    }

    /** What the history holds now. Caller holds the lock. */
    HistoryStats historyStats() {
        return history.isEmpty() ? HistoryStats.NONE
                : new HistoryStats(history.size(), history.peekFirst().offset(), history.peekLast().offset(), historyBytes);
    }

    /** The stream is gone (removed, its epoch ended): its history no longer counts. Caller holds the lock. */
    void forget(HistoryCounters counters) {
        counters.dropped(history.size(), historyBytes);
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
        // materialized per read: the stream holds entries without their epoch
        if (limit > 0 && after < offset) {
            int following = 0; // held publications after 'after', counted from the newest end
            for (java.util.Iterator<Entry> it = history.descendingIterator(); it.hasNext()
                    && it.next().offset() > after; ) {
                following++;
            }
            int skip = history.size() - following;
            for (Entry e : history) {
                if (skip-- > 0) {
                    continue;
                }
                out.add(e.in(epoch));
                if (out.size() == limit) {
                    break;
                }
            }
        }
        return new History(position(), out, true);
    }

    /** The latest publication per key, oldest first. Caller holds the lock. */
    List<Publication> retained() {
        if (retained == null) {
            return List.of();
        }
        List<Publication> out = new ArrayList<>(retained.size());
        retained.values().forEach(e -> out.add(e.in(epoch)));
        return out;
    }

    /** Caller holds the lock. */
    boolean removeRetained(String key) {
        return retained != null && retained.remove(key) != null;
    }
}
