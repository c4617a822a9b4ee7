package io.herald;

import io.herald.internal.MemoryEngine;
import java.util.Optional;
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
    static Engine memory() {
        return new MemoryEngine();
    }

    /** Starts the engine; from then on publications go to the context's sink. Called once, by {@link Herald}. */
    void start(Context context);

    /**
     * Assigns the message its offset and timestamp and hands it to the sink. The future completes
     * with the publication once the engine holds it, or exceptionally with a {@link HeraldException}.
     */
    CompletableFuture<Publication> publish(Message message);

    /**
     * The channel's current position as this node knows it, creating the channel (offset 0, a new
     * epoch) if it has none; cheap and non-blocking. Reading a position is not activity: it does
     * not keep an idle channel from being removed.
     */
    StreamPosition position(String channel);

    /**
     * The channel's position if the engine holds state for it, without creating it (stats and
     * admin reads). Like {@link #position}, not activity.
     */
    default Optional<StreamPosition> peek(String channel) {
        return Optional.of(position(channel));
    }

    /** Whether the engine can serve, for {@code /health}. */
    Health health();

    /**
     * Removes, with all their state, channels that completed more than their namespace's
     * {@code cleanupDelay} ago, and channels idle that long (no publish) with no subscriber;
     * tells the sink of each and returns how many. Herald calls it periodically.
     */
    int sweep();

    /** Channels the engine holds state for (active and completed, not yet removed). */
    int channelCount();

    /** Removes a channel and its state at once (admin delete); returns whether it existed. */
    boolean remove(String channel);

    /** Stops the engine; later publishes fail. */
    @Override
    void close();

    /** Receives publications from the engine (the local hub). */
    interface PublicationSink {
        void deliver(Publication publication);

        /** The channel was removed (cleanup); its offsets start again at 1 in a new epoch. */
        void removed(String channel);

        /** Whether anyone on this node is subscribed to {@code channel} (idle channels with none are removed). */
        boolean hasSubscribers(String channel);
    }

    /** What an engine is started with. */
    record Context(PublicationSink sink, HeraldClock clock, HeraldConfig config) {
    }

    /** An engine's health: its kind ({@code memory}, {@code redis}), whether it is up, and why not. */
    record Health(String engine, boolean up, String detail) {
    }
}
