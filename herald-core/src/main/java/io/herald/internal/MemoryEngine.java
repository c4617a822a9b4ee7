package io.herald.internal;

import io.herald.ChannelNames;
import io.herald.Engine;
import io.herald.HeraldClock;
import io.herald.HeraldException;
import io.herald.Message;
import io.herald.Publication;
import io.herald.StreamPosition;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The embedded engine: offsets live in this process, so each channel's epoch is new with every
 * start. Publishing takes the channel's lock for the offset and the hand-off to the sink, which
 * is what keeps a channel's publications in offset order.
 */
public final class MemoryEngine implements Engine {
    private final HeraldClock clock;
    private final ConcurrentHashMap<String, ChannelStream> channels = new ConcurrentHashMap<>();
    private volatile PublicationSink sink;
    private volatile boolean closed;

    public MemoryEngine(HeraldClock clock) {
        this.clock = clock;
    }

    /** One channel's stream. {@code offset} is written under the instance lock and read without it. */
    private static final class ChannelStream {
        final String epoch = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        volatile long offset;
    }

    @Override
    public void start(PublicationSink sink) {
        this.sink = sink;
    }

    @Override
    public CompletableFuture<Publication> publish(Message message) {
        if (closed) {
            return CompletableFuture.failedFuture(HeraldException.engineUnavailable("engine is closed"));
        }
        ChannelStream stream = channels.computeIfAbsent(message.channel(), c -> new ChannelStream());
        Publication p;
        synchronized (stream) {
            p = new Publication(message, stream.offset + 1, clock.epochMillis());
            stream.offset = p.offset();
            sink.deliver(p);
        }
        return CompletableFuture.completedFuture(p);
    }

    @Override
    public StreamPosition position(String channel) {
        ChannelStream stream = channels.get(channel);
        if (stream == null) {
            ChannelNames.validate(channel);
            stream = channels.computeIfAbsent(channel, c -> new ChannelStream());
        }
        return new StreamPosition(stream.epoch, stream.offset);
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
