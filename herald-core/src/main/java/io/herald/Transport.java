package io.herald;

/**
 * A way clients reach Herald (the Netty server, for instance). {@link Herald} starts its
 * transports after the engine. It closes in this order: each transport's {@link #shutdown()} (no
 * new connections or requests, clients sent away), the engine (which completes the publishes under
 * way), each transport's {@link #stop()} (the answers to those publishes go out, then the threads stop).
 */
public interface Transport {
    /** Binds and starts serving. Called once, by {@link Herald.Builder#start()}. */
    void start(Herald herald);

    /**
     * Stops accepting, tells connected clients to reconnect elsewhere, flushes what is pending and
     * closes every client connection, waiting at most the transport's drain timeout. Requests under
     * way keep their connections, and the transport its threads, until {@link #stop()}. Idempotent.
     */
    void shutdown();

    /**
     * Called after {@link #shutdown()} once the engine has closed: writes the answers the engine
     * completed as it closed, closes what is left and stops the transport's threads. Idempotent.
     * The default does nothing, for a transport whose {@link #shutdown()} does it all.
     */
    default void stop() {
    }
}
