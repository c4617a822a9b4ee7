package io.herald.internal;

import io.herald.ChannelNames;
import io.herald.Engine;
import io.herald.HeraldException;
import io.herald.Message;
import io.herald.Publication;
import io.herald.StreamPosition;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The embedded engine: offsets live in this process, so each channel's epoch is new with every
 * start. Publishing takes the channel's lock for the offset and the hand-off to the sink, which
 * is what keeps a channel's publications in offset order.
 */
public final class MemoryEngine implements Engine {
    private final ConcurrentHashMap<String, ChannelStream> channels = new ConcurrentHashMap<>();
    private volatile Context context;
    private volatile boolean closed;

    /** One channel's stream. Fields are written under the instance lock; {@code offset} is also read without it. */
    private static final class ChannelStream {
        final String epoch = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        volatile long offset;
        /** Epoch millis of completion, or 0 while active. */
        long completedAt;
        /** Epoch millis of the last publish, or of the creation. */
        volatile long lastActive;

        ChannelStream(long createdAt) {
            this.lastActive = createdAt;
        }
        /** Set when swept; a publisher that raced the sweep retries on a fresh stream. */
        boolean removed;
    }

    @Override
    public void start(Context context) {
        this.context = context;
    }

    @Override
    public CompletableFuture<Publication> publish(Message message) {
        if (closed) {
            return CompletableFuture.failedFuture(HeraldException.engineUnavailable("engine is closed"));
        }
        while (true) {
            ChannelStream stream = channels.computeIfAbsent(message.channel(),
                    c -> new ChannelStream(context.clock().epochMillis()));
            synchronized (stream) {
                if (stream.removed) {
                    continue;
                }
                Publication p = new Publication(message, stream.offset + 1, context.clock().epochMillis());
                stream.offset = p.offset();
                stream.completedAt = message.finalMessage() ? Math.max(1, p.ts()) : 0;
                stream.lastActive = p.ts();
                context.sink().deliver(p);
                return CompletableFuture.completedFuture(p);
            }
        }
    }

    @Override
    public StreamPosition position(String channel) {
        ChannelStream stream = channels.get(channel);
        if (stream == null) {
            ChannelNames.validate(channel);
            // a new channel is active from its creation; reading a known one is not activity
            stream = channels.computeIfAbsent(channel, c -> new ChannelStream(context.clock().epochMillis()));
        }
        return new StreamPosition(stream.epoch, stream.offset);
    }

    @Override
    public Optional<StreamPosition> peek(String channel) {
        ChannelStream stream = channels.get(channel);
        return stream == null ? Optional.empty() : Optional.of(new StreamPosition(stream.epoch, stream.offset));
    }

    @Override
    public int sweep() {
        long now = context.clock().epochMillis();
        int removed = 0;
        for (Iterator<Map.Entry<String, ChannelStream>> it = channels.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, ChannelStream> e = it.next();
            ChannelStream stream = e.getValue();
            boolean remove;
            synchronized (stream) {
                if (stream.removed) {
                    continue; // a concurrent sweep or delete got here first
                }
                long delay = context.config().optionsFor(e.getKey()).cleanupDelay().toMillis();
                remove = stream.completedAt > 0 ? now - stream.completedAt >= delay
                        : now - stream.lastActive >= delay && !context.sink().hasSubscribers(e.getKey());
                if (remove) {
                    stream.removed = true;
                    channels.remove(e.getKey(), stream);
                }
            }
            if (remove) {
                removed++;
                context.sink().removed(e.getKey());
            }
        }
        return removed;
    }

    @Override
    public boolean remove(String channel) {
        ChannelStream stream = channels.get(channel);
        if (stream == null) {
            return false;
        }
        synchronized (stream) {
            stream.removed = true;
            return channels.remove(channel, stream);
        }
    }

    @Override
    public int channelCount() {
        return channels.size();
    }

    @Override
    public Health health() {
        return new Health("memory", !closed, closed ? "closed" : "ok");
    }

    @Override
    public void close() {
        closed = true;
    }
}
