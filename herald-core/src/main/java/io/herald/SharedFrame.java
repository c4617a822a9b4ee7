package io.herald;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;

/**
 * One server frame written to many outlets in a row: its JSON text, encoded once, and each
 * transport's wire form of it, encoded once per {@link WireFormat} on first use. An outlet that
 * sends a frame to a socket unchanged (a WebSocket without compression) takes
 * {@link #wire(WireFormat)} and skips per-connection framing; others take {@link #text()}.
 *
 * <p>Confined to the event loop that made it, and owned by its maker, which releases it after the
 * writes: an outlet keeps a {@code retainedDuplicate()} of what it sends, never the buffers
 * themselves.
 */
public final class SharedFrame {
    /** Turns a frame's JSON text into the bytes a transport puts on the wire. */
    @FunctionalInterface
    public interface WireFormat {
        /** A new buffer holding {@code text} framed for the wire; {@code text} is not consumed. */
        ByteBuf encode(ByteBufAllocator alloc, ByteBuf text);
    }

    private final ByteBufAllocator alloc;
    private final ByteBuf text;
    private WireFormat[] formats = new WireFormat[0];
    private ByteBuf[] wires = new ByteBuf[0];

    /** Takes ownership of {@code text}. */
    public SharedFrame(ByteBufAllocator alloc, ByteBuf text) {
        this.alloc = alloc;
        this.text = text;
    }

    /** The JSON text, e.g. {@code {"type":"batch",…}}. Do not modify or release it. */
    public ByteBuf text() {
        return text;
    }

    /** The text in {@code format}'s wire form, made on the first call for that format. Do not modify or release it. */
    public ByteBuf wire(WireFormat format) {
        for (int i = 0; i < formats.length; i++) {
            if (formats[i] == format) {
                return wires[i];
            }
        }
        ByteBuf wire = format.encode(alloc, text);
        formats = Arrays.copyOf(formats, formats.length + 1);
        wires = Arrays.copyOf(wires, wires.length + 1);
        formats[formats.length - 1] = format;
        wires[wires.length - 1] = wire;
        return wire;
    }

    /** Releases the text and every wire form. */
    public void release() {
        text.release();
        for (ByteBuf wire : wires) {
            wire.release();
        }
        wires = new ByteBuf[0];
        formats = new WireFormat[0];
    }
}
