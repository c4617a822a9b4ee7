package io.herald;

/**
 * A way clients reach Herald (the Netty server, for instance). {@link Herald} starts its
 * transports after the engine and shuts them down, gracefully, before the engine.
 */
public interface Transport {
    /** Binds and starts serving. Called once, by {@link Herald.Builder#start()}. */
    void start(Herald herald);

    /**
     * Stops accepting, tells connected clients to reconnect elsewhere, flushes what is pending and
     * closes every connection, waiting at most the transport's drain timeout. Idempotent.
     */
    void shutdown();
}
