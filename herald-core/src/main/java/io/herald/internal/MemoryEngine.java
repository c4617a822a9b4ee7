package io.herald.internal;

import io.herald.ChannelNames;
import io.herald.Engine;
import io.herald.History;
import io.herald.HistoryStats;
import io.herald.HistoryTotals;
import io.herald.HeraldException;
import io.herald.Message;
import io.herald.NamespaceOptions;
import io.herald.Publication;
import io.herald.StreamPosition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The embedded engine (the {@link Engine} contract for one node): streams live in this process, so
 * each channel's epoch is new with every engine instance, and every call completes at once.
 *
 * <p>Publishing takes the channel's {@link ChannelStream} lock for the offset, history, retained
 * state and the hand-off to the sink, which is what keeps a channel's publications in offset
 * order. Removing a channel (sweep or delete) installs an empty successor stream, in a new epoch,
 * and tells the sink {@code interrupted} while holding the successor's lock, so no publication of
 * the new epoch reaches the sink before its subscribers were reset; the successor is dropped at
 * once if nobody here subscribes.
 *
 * <p>Memory is bounded per channel by {@code history.size} and {@code retained.maxKeys}
 * publications; history older than {@code history.ttl} is dropped at each publish, history read
 * and sweep; channels go after their {@code cleanupDelay} (see {@link #sweep}). Interest
 * ({@link #subscribe}) costs nothing: every publication is local.
 */
public final class MemoryEngine implements Engine {
    private final ConcurrentHashMap<String, ChannelStream> channels = new ConcurrentHashMap<>();
    private final StreamStore store;
    private final HistoryCounters historyCounters = new HistoryCounters();
    /** One instance for every {@code computeIfAbsent}, not a method reference made per publish. */
    private final Function<String, ChannelStream> newStream = this::newStream;
    private volatile Context context;
    private volatile boolean closed;

    /** An engine that keeps nothing past its process. */
    public MemoryEngine() {
        this(StreamStore.NONE);
    }

    /** An engine whose streams {@code store} keeps, and which starts from what it holds. */
    MemoryEngine(StreamStore store) {
        this.store = store;
    }

    /** An engine that keeps its streams in {@code directory} ({@link DiskStore}). */
    public static MemoryEngine onDisk(java.nio.file.Path directory, java.time.Duration flushInterval) {
        return new MemoryEngine(new DiskStore(directory, flushInterval));
    }

    /** Opens the store and restores the streams it holds (same epochs and offsets); may block. */
    @Override
    public void start(Context context) {
        for (StreamStore.Stored s : store.open()) {
            channels.put(s.channel(), ChannelStream.restored(s, historyCounters));
        }
        this.context = context;
    }

    @Override
    public CompletableFuture<Publication> publish(Message message) {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        NamespaceOptions options = context.config().optionsFor(message.channel());
        while (true) {
            ChannelStream stream = channels.computeIfAbsent(message.channel(), newStream);
            synchronized (stream) {
                if (stream.removed) {
                    continue; // the map holds its successor by now
                }
                if (closed) { // checked under the lock too: close() waits for the publishes inside one
                    return CompletableFuture.failedFuture(closedException());
                }
                Publication p;
                long historyStart = stream.historyStart();
                long offset = stream.offset;
                try {
                    store.admit(message.channel(), stream);
                    p = stream.append(message, context.clock().epochMillis(), options, historyCounters);
                } catch (HeraldException e) {
                    return CompletableFuture.failedFuture(e);
                }
                trimmed(message.channel(), stream, historyStart, offset);
                CompletableFuture<Publication> stored = store.appended(message.channel(), stream, p,
                        options.retained() ? ChannelStream.retainedKey(message) : null);
                context.sink().deliver(p); // live delivery does not wait for the store
                return stored;
            }
        }
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public StreamPosition position(String channel) {
        while (true) {
            ChannelStream stream = channels.get(channel);
            if (stream == null) {
                ChannelNames.validate(channel);
                // a new channel is active from its creation; reading a known one is not activity
                stream = channels.computeIfAbsent(channel, newStream);
            }
            StreamPosition position = stream.position();
            if (!stream.removed) {
                return position;
            }
        }
    }

    @Override
    public Optional<StreamPosition> peek(String channel) {
        ChannelStream stream = channels.get(channel);
        return stream == null ? Optional.empty() : Optional.of(stream.position());
    }

    @Override
    public CompletableFuture<History> history(String channel, StreamPosition since, int limit) {
        if (limit < 0) {
            return CompletableFuture.failedFuture(HeraldException.badRequest("limit must be 0 or more, was " + limit));
        }
        History none = new History(StreamPosition.NONE, List.of(), since.epoch().isEmpty());
        long now = context.clock().epochMillis();
        return CompletableFuture.completedFuture(withStream(channel, none, stream -> {
            evictExpired(channel, stream, now);
            return stream.read(since, limit);
        }));
    }

    @Override
    public CompletableFuture<List<Publication>> retained(String channel) {
        return CompletableFuture.completedFuture(withStream(channel, List.of(), ChannelStream::retained));
    }

    @Override
    public CompletableFuture<Boolean> removeRetained(String channel, String key) {
        return CompletableFuture.completedFuture(withStream(channel, false, stream -> {
            boolean held = stream.removeRetained(key);
            if (held) {
                store.retainedRemoved(channel, stream, key);
            }
            return held;
        }));
    }

    /** Drops the stream's expired history, here and in the store. Caller holds the stream's lock. */
    private void evictExpired(String channel, ChannelStream stream, long now) {
        long historyStart = stream.historyStart();
        stream.evictExpired(now, context.config().optionsFor(channel).historyTtl(), historyCounters);
        trimmed(channel, stream, historyStart, stream.offset);
    }

    /**
     * Tells the store of the history evicted since it held offsets {@code before} to {@code last}
     * (none when {@code before > last}). Caller holds the stream's lock.
     */
    private void trimmed(String channel, ChannelStream stream, long before, long last) {
        long after = Math.min(stream.historyStart(), last + 1);
        if (before <= last && after > before) {
            store.trimmed(channel, stream);
        }
    }

    /** Applies {@code read} to the channel's current stream under its lock, or answers {@code absent}. */
    private <T> T withStream(String channel, T absent, Function<ChannelStream, T> read) {
        while (true) {
            ChannelStream stream = channels.get(channel);
            if (stream == null) {
                return absent;
            }
            synchronized (stream) {
                if (!stream.removed) {
                    return read.apply(stream);
                }
            }
        }
    }

    /**
     * Removes, with their history and retained state, channels that completed at least
     * {@code cleanupDelay} ago and channels idle that long (no publish) with no subscriber here;
     * drops expired history of the others.
     */
    @Override
    public CompletableFuture<Integer> sweep() {
        long now = context.clock().epochMillis();
        int removed = 0;
        for (Map.Entry<String, ChannelStream> e : channels.entrySet()) {
            String channel = e.getKey();
            ChannelStream stream = e.getValue();
            synchronized (stream) {
                if (stream.removed) {
                    continue; // a concurrent sweep or delete got here first
                }
                NamespaceOptions options = context.config().optionsFor(channel);
                long delay = options.cleanupDelay().toMillis();
                boolean remove = stream.completedAt > 0 ? now - stream.completedAt >= delay
                        : now - stream.lastActive >= delay && !context.sink().hasSubscribers(channel);
                if (remove) {
                    retire(channel, stream);
                    removed++;
                } else {
                    evictExpired(channel, stream, now);
                }
            }
        }
        return CompletableFuture.completedFuture(removed);
    }

    @Override
    public CompletableFuture<Boolean> remove(String channel) {
        ChannelStream stream = channels.get(channel);
        if (stream == null) {
            return CompletableFuture.completedFuture(false);
        }
        synchronized (stream) {
            if (stream.removed) {
                return CompletableFuture.completedFuture(false);
            }
            retire(channel, stream);
            return CompletableFuture.completedFuture(true);
        }
    }

    /**
     * Ends {@code stream}'s epoch; the caller holds its lock. The successor is visible to
     * {@link #position} before the sink hears of the interruption, and publishers wait on its lock
     * until the sink has, so the contract's subscribe race holds across the removal.
     */
    private void retire(String channel, ChannelStream stream) {
        stream.removed = true;
        stream.forget(historyCounters);
        store.removed(channel, stream);
        ChannelStream next = newStream(channel);
        synchronized (next) {
            channels.replace(channel, stream, next);
            context.sink().interrupted(channel, next.position());
            if (!context.sink().hasSubscribers(channel)) {
                next.removed = true;
                channels.remove(channel, next);
            }
        }
    }

    private ChannelStream newStream(String channel) {
        return new ChannelStream(channel, context.clock().epochMillis());
    }

    @Override
    public int channelCount() {
        return channels.size();
    }

    /** Takes the channel's lock for a moment, as {@link #history} does; expired history still counts until the next read or sweep. */
    @Override
    public Optional<HistoryStats> historyStats(String channel) {
        return Optional.ofNullable(withStream(channel, null, ChannelStream::historyStats));
    }

    @Override
    public HistoryTotals historyTotals() {
        return historyCounters.totals();
    }

    @Override
    public CompletableFuture<Health> health() {
        return CompletableFuture.completedFuture(store.health(closed));
    }

    /**
     * Refuses publishes, waits for those under way (each holds its stream's lock), then writes out
     * and closes the store.
     */
    @Override
    public void close() {
        closed = true;
        for (ChannelStream stream : channels.values()) {
            synchronized (stream) {
                // empty: a publish that found the engine open is done once its stream's lock is free
            }
        }
        store.close();
    }

    private static HeraldException closedException() {
        return HeraldException.engineUnavailable("engine is closed");
    }
}
