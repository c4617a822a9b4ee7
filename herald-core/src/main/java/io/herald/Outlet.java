package io.herald;

import io.netty.util.concurrent.EventExecutor;

/**
 * Where what the core sends one client goes: the transport's side of a {@link ClientSession} (a
 * WebSocket connection, an SSE stream). The core hands it typed events, and each transport encodes
 * them its own way. The core calls every method on {@link #executor()}.
 */
public interface Outlet {
    /** The connection id, unique on this node. */
    String id();

    /** The event loop that owns this connection; all its per-connection state lives there. */
    EventExecutor executor();

    /**
     * Sends a frame of messages. The frame may go to many outlets in a row (a channel's fan-out,
     * encoded once): the outlet does not own it and keeps a {@code retainedDuplicate()} of any of
     * its buffers it sends.
     */
    void send(MessageFrame frame);

    /**
     * {@code skipped} plain messages of {@code channel} were dropped before reaching this client
     * (SPEC §3, slow consumers); sent before the messages that follow the gap.
     */
    void lag(String channel, long skipped);

    /** The server ended the subscription to {@code channel}, for {@code reason} (e.g. {@code deleted}). */
    void unsubscribed(String channel, String reason);

    /**
     * Whether the connection takes more frames now. While it does not, the core keeps the
     * client's messages in a bounded backlog and waits for {@link ClientSession#writable()}.
     */
    boolean isWritable();

    /** Closes the connection with a close code of SPEC §5.1 (e.g. 4003 for a slow consumer). */
    void close(int code, String reason);
}
