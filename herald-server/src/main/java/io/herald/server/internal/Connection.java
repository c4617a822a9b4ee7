package io.herald.server.internal;

import io.herald.server.ConnectionStats;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;

/**
 * One client connection, whatever its transport (a WebSocket now, an SSE stream next): what the
 * {@link ConnectionRegistry}, the per-user limit, the metrics, {@code /api/connections} and graceful
 * shutdown see. Methods other than {@link #snapshot} and {@link #closeFuture} run on
 * {@link #executor()}.
 */
interface Connection {
    String id();

    /** The event loop that owns the connection. */
    EventExecutor executor();

    /** The counters and state the registry reports; written on the loop, read anywhere. */
    ConnectionInfo info();

    /** A consistent view for the admin API; safe from any thread. */
    ConnectionStats snapshot();

    /** Closes with a close code of SPEC §5.1: the client is told, then the socket goes. */
    void close(int code, String reason);

    /**
     * Graceful shutdown (SPEC §11): sends what waits for the client, tells it when to come back,
     * and closes with 1001.
     */
    void shutdown();

    /** Completes when the socket has closed. */
    Future<Void> closeFuture();
}
