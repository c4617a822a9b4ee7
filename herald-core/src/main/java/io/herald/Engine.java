package io.herald;

import io.herald.internal.MemoryEngine;
import java.util.concurrent.CompletableFuture;

/**
 * Where offsets are assigned and publications travel between nodes (SPEC §9). The in-memory
 * engine ({@link #memory}) serves one node; a Redis engine serves a cluster.
 *
 * <p><b>Contract.</b> After {@link #start} the engine hands every publication of every channel to
 * the sink, for publications made on this node and (in a clustered engine) on others, with these
 * guarantees: per channel, offsets start at 1 and strictly increase; the sink sees a channel's
 * publications in offset order and never concurrently; {@link #position} never returns an offset
 * lower than one already handed to the sink. Implementations are thread-safe.
 */
public interface Engine extends AutoCloseable {

    /** The in-memory engine: offsets and history live in this process; a restart starts a new epoch. */
    static Engine memory(HeraldClock clock) {
        return new MemoryEngine(clock);
    }

    /** Starts the engine; from then on publications go to {@code sink}. Called once, by {@link Herald}. */
    void start(PublicationSink sink);

    /**
     * Assigns the message its offset and timestamp and hands it to the sink. The future completes
     * with the publication once the engine holds it, or exceptionally with a {@link HeraldException}.
     */
    CompletableFuture<Publication> publish(Message message);

    /** The channel's current position as this node knows it; cheap and non-blocking. */
    StreamPosition position(String channel);

    /** Whether the engine can serve, for {@code /health}. */
    Health health();

    /** Stops the engine; later publishes fail. */
    @Override
    void close();

    /** Receives publications from the engine (the local hub). */
    @FunctionalInterface
    interface PublicationSink {
        void deliver(Publication publication);
    }

    /** An engine's health: its kind ({@code memory}, {@code redis}), whether it is up, and why not. */
    record Health(String engine, boolean up, String detail) {
    }
}
