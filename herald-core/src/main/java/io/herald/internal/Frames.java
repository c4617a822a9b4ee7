package io.herald.internal;

import io.herald.Json;
import io.herald.Publication;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes what the core sends to clients (SPEC §5.1): a lone message as
 * {@code {"type":"message","channel":…,"event":…,"offset":…,"ts":…,"data":…}}, several messages of
 * one channel as {@code {"type":"batch","channel":…,"messages":[{"event":…,…},…]}}; and the control
 * frames the core itself sends ({@code unsubscribed}, {@code lag}).
 */
final class Frames {
    private static final byte[] BATCH_OPEN_PREFIX = "{\"type\":\"batch\",\"channel\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BATCH_OPEN_SUFFIX = "\",\"messages\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BATCH_CLOSE = "]}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE_PREFIX = "{\"type\":\"message\",\"channel\":\"".getBytes(StandardCharsets.US_ASCII);

    private Frames() {
    }

    /** The element form of {@code p}, encoded once per publication. */
    static byte[] element(Publication p) {
        ByteBuf buf = Json.encode(ByteBufAllocator.DEFAULT, 256, g -> Json.writePublication(g, p));
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /**
     * One frame for {@code messages} of {@code channel}, in their order: a {@code message} frame for
     * one, a {@code batch} frame for more. Channel names need no JSON escaping (SPEC §2 charset).
     */
    static ByteBuf frame(ByteBufAllocator alloc, String channel, List<Encoded> messages) {
        byte[] ch = channel.getBytes(StandardCharsets.US_ASCII);
        if (messages.size() == 1) {
            byte[] e = messages.get(0).element();
            ByteBuf buf = alloc.buffer(MESSAGE_PREFIX.length + ch.length + 2 + e.length - 1);
            buf.writeBytes(MESSAGE_PREFIX).writeBytes(ch).writeByte('"').writeByte(',');
            buf.writeBytes(e, 1, e.length - 1);
            return buf;
        }
        int size = BATCH_OPEN_PREFIX.length + ch.length + BATCH_OPEN_SUFFIX.length + BATCH_CLOSE.length + messages.size();
        for (Encoded m : messages) {
            size += m.element().length;
        }
        ByteBuf buf = alloc.buffer(size);
        buf.writeBytes(BATCH_OPEN_PREFIX).writeBytes(ch).writeBytes(BATCH_OPEN_SUFFIX);
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                buf.writeByte(',');
            }
            buf.writeBytes(messages.get(i).element());
        }
        buf.writeBytes(BATCH_CLOSE);
        return buf;
    }

}
