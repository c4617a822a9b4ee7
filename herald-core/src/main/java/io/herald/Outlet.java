package io.herald;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;

/**
 * Where the frames for one client go: the transport's side of a {@link ClientSession}
 * (a WebSocket connection, an SSE stream). The core calls every method on {@link #executor()}.
 */
public interface Outlet {
    /** The connection id, unique on this node. */
    String id();

    /** The event loop that owns this connection; all its per-connection state lives there. */
    EventExecutor executor();

    /**
     * Sends one server frame, a complete JSON text such as {@code {"type":"message",…}}. Takes
     * ownership of {@code frame}: the outlet releases it. The bytes may be shared with other
     * outlets (encoded once), so they must not be modified.
     */
    void write(ByteBuf frame);
}
