package io.herald.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.herald.Message;
import io.herald.Publication;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
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
    private static final byte[] EVENT = "{\"event\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFSET = ",\"offset\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TS = ",\"ts\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY = ",\"key\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = ",\"data\":".getBytes(StandardCharsets.US_ASCII);

    private Frames() {
    }

    /**
     * The element form of {@code p}, {@code {"event","offset","ts","key"?,"data"}}, byte for byte what
     * {@link io.herald.Json#writePublication} writes (FramesTest holds them together), encoded once
     * per publication on the fan-out path: assembled in one array of its exact size, the names
     * escaped as JSON strings and the data's JSON text copied as it is, with no generator or buffer.
     */
    static byte[] element(Publication p) {
        Message m = p.message();
        byte[] event = JsonStringEncoder.getInstance().quoteAsUTF8(m.event());
        byte[] key = m.key().isPresent() ? JsonStringEncoder.getInstance().quoteAsUTF8(m.key().get()) : null;
        ByteBuffer data = m.dataUtf8();
        int size = EVENT.length + event.length + 2 + OFFSET.length + digits(p.offset()) + TS.length + digits(p.ts())
                + (key == null ? 0 : KEY.length + key.length + 2) + DATA.length + data.remaining() + 1;
        byte[] out = new byte[size];
        int i = quoted(out, put(out, 0, EVENT), event);
        i = number(out, put(out, i, OFFSET), p.offset());
        i = number(out, put(out, i, TS), p.ts());
        if (key != null) {
            i = quoted(out, put(out, i, KEY), key);
        }
        i = put(out, i, DATA);
        int n = data.remaining();
        data.get(out, i, n);
        out[i + n] = '}';
        return out;
    }

    private static int put(byte[] out, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    private static int quoted(byte[] out, int at, byte[] escaped) {
        out[at] = '"';
        int end = put(out, at + 1, escaped);
        out[end] = '"';
        return end + 1;
    }

    /** Characters of {@code v} in decimal. */
    private static int digits(long v) {
        if (v < 0) {
            return Long.toString(v).length();
        }
        int n = 1;
        for (long rest = v / 10; rest > 0; rest /= 10) {
            n++;
        }
        return n;
    }

    private static int number(byte[] out, int at, long v) {
        if (v < 0) {
            return put(out, at, Long.toString(v).getBytes(StandardCharsets.US_ASCII));
        }
        int end = at + digits(v);
        long rest = v;
        for (int i = end - 1; i >= at; i--) {
            out[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return end;
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
