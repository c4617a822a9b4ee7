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
     * Sends one server frame, a complete JSON text such as {@code {"type":"batch",…}} carrying
     * {@code messages} messages (0 for control frames such as {@code lag}). Takes ownership of
     * {@code frame}: the outlet releases it. The bytes may be shared with other outlets (encoded
     * once), so they must not be modified.
     */
    void write(ByteBuf frame, int messages);

    /**
     * Sends a frame that goes to many outlets in a row (a channel's fan-out). Unlike
     * {@link #write(ByteBuf, int)} this does not take ownership: the outlet keeps a
     * {@code retainedDuplicate()} of the buffer it sends. The default sends {@link SharedFrame#text()};
     * a transport that can send the same wire bytes to every client overrides it.
     */
    default void write(SharedFrame frame, int messages) {
        write(frame.text().retainedDuplicate(), messages);
    }

    /**
     * Whether the connection takes more frames now. While it does not, the core keeps the
     * client's messages in a bounded backlog and waits for {@link ClientSession#writable()}.
     */
    boolean isWritable();

    /** Closes the connection with a WebSocket close code (e.g. 4003 for a slow consumer). */
    void close(int code, String reason);
}
