package io.herald;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * What the core hands a transport to send: messages of one channel, in offset order, that go to
 * the client as one frame (SPEC §3 batching). Each transport encodes it its own way: a WebSocket
 * sends {@link #text()} (a {@code message} or {@code batch} frame), or its {@link #wire} form made
 * once for every connection of a fan-out; an SSE stream writes one event per message from
 * {@link #publication} and {@link #element}.
 *
 * <p>Confined to the event loop that made it and owned by the core, which releases it after the
 * writes: an outlet keeps a {@code retainedDuplicate()} of any buffer it sends, never the buffers
 * themselves, and must not modify them.
 */
public interface MessageFrame {
    /** The channel every message of this frame belongs to. */
    String channel();

    /** How many messages the frame holds (at least one). */
    int size();

    /** The {@code index}th message, with its offset, timestamp, event, key and data. */
    Publication publication(int index);

    /**
     * The {@code index}th message as the JSON object a client receives for it,
     * {@code {"event","offset","ts","key"?,"data"}}, encoded once per publication (read-only).
     */
    ByteBuf element(int index);

    /**
     * The whole frame as JSON: {@code {"type":"message","channel",…}} for one message,
     * {@code {"type":"batch","channel","messages":[…]}} for several; encoded on the first call.
     */
    ByteBuf text();

    /** The frame in {@code format}'s wire form, made on the first call for that format. */
    ByteBuf wire(WireFormat format);

    /** Turns a frame into the bytes a transport puts on the wire, the same for every connection. */
    @FunctionalInterface
    interface WireFormat {
        /** A new buffer holding {@code frame} framed for the wire; the frame's buffers are not consumed. */
        ByteBuf encode(ByteBufAllocator alloc, MessageFrame frame);
    }
}
