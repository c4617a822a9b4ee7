package io.herald.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.herald.Json;
import io.herald.Message;
import io.herald.Publication;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A publication as the {@link DiskStore} writes it. Stateless and thread-safe.
 *
 * <p><b>Format 2</b> (binary, big-endian; written since the encoding cost of format 1 was the
 * largest share of a commit): {@code long offset, long ts, byte flags (1 critical, 2 final, 4
 * keyed), event (u16 length, UTF-8), key if keyed (u16 length, UTF-8), data (int length, its
 * compact JSON text as the message holds it)}. Without its channel and epoch, which the
 * {@link HistoryRecord} around it holds; a retained entry, which stands alone, is the byte
 * {@value #VERSION}, the epoch (int length, UTF-8), then the publication ({@link #encodeAlone}).
 *
 * <p><b>Format 1</b> (read only, from files written before): compact JSON without the channel,
 * {@code {"e","d","k"?,"c"?,"f"?,"ep","o","ts"}}. A retained entry of format 2 starts with the
 * byte {@value #VERSION}, one of format 1 with {@code '{'}.
 */
final class PublicationCodec {
    /** The first byte of a retained entry of format 2. */
    static final byte VERSION = 2;
    private static final int CRITICAL = 1;
    private static final int FINAL = 2;
    private static final int KEYED = 4;

    private PublicationCodec() {
    }

    /** Writes {@code p} in format 2, without its channel and epoch. */
    static void write(Publication p, RecordBuffer out) {
        Message m = p.message();
        String key = m.key().orElse(null);
        int flags = (m.critical() ? CRITICAL : 0) | (m.finalMessage() ? FINAL : 0) | (key != null ? KEYED : 0);
        out.putLong(p.offset()).putLong(p.ts()).putByte(flags).putShortString(m.event());
        if (key != null) {
            out.putShortString(key);
        }
        out.putBytes(m.dataUtf8());
    }

    /**
     * Reads a publication of format 2 from {@code in} (the message's data is parsed once, so a
     * damaged one is found here).
     *
     * @throws RuntimeException when the bytes are not such a publication
     */
    static Publication read(String channel, String epoch, ByteBuffer in) {
        long offset = in.getLong();
        long ts = in.getLong();
        int flags = in.get();
        String event = shortString(in);
        String key = (flags & KEYED) != 0 ? shortString(in) : null;
        byte[] data = bytes(in, in.getInt());
        Message m = Message.builder(channel, event).dataJson(new String(data, StandardCharsets.UTF_8)).key(key)
                .critical((flags & CRITICAL) != 0).finalMessage((flags & FINAL) != 0).build();
        return new Publication(m, epoch, offset, ts);
    }

    /** {@code p} in format 2 with its epoch, for an entry that stands alone (a retained key's). */
    static byte[] encodeAlone(Publication p, RecordBuffer buffer) {
        buffer.clear().putByte(VERSION).putString(p.epoch());
        write(p, buffer);
        return buffer.toArray();
    }

    /**
     * Reads an entry that stands alone, of format 2 ({@link #encodeAlone}) or 1.
     *
     * @throws IllegalArgumentException when {@code bytes} is not a publication of either format
     */
    static Publication decode(String channel, byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == VERSION) {
            try {
                ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
                Publication p = read(channel, string(in), in);
                if (in.hasRemaining()) {
                    throw new IllegalArgumentException(in.remaining() + " bytes after its end");
                }
                return p;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("unreadable publication of channel '" + channel + "' (" + e + ")", e);
            }
        }
        return decodeJson(channel, bytes);
    }

    /** Reads a publication of format 1. */
    static Publication decodeJson(String channel, byte[] bytes) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable publication of channel '" + channel + "': " + e.getMessage(), e);
        }
        if (n == null || !n.path("e").isTextual() || !n.path("ep").isTextual() || !n.path("o").canConvertToLong()) {
            throw new IllegalArgumentException("unreadable publication of channel '" + channel + "'");
        }
        Message m = Message.builder(channel, n.get("e").asText()).data(n.has("d") ? n.get("d") : NullNode.getInstance())
                .key(n.hasNonNull("k") ? n.get("k").asText() : null)
                .critical(n.path("c").asBoolean()).finalMessage(n.path("f").asBoolean()).build();
        return new Publication(m, n.get("ep").asText(), n.get("o").asLong(), n.path("ts").asLong());
    }

    /** A string written by {@link RecordBuffer#putString}. */
    static String string(ByteBuffer in) {
        return new String(bytes(in, in.getInt()), StandardCharsets.UTF_8);
    }

    private static String shortString(ByteBuffer in) {
        return new String(bytes(in, in.getShort() & 0xFFFF), StandardCharsets.UTF_8);
    }

    /** The next {@code n} bytes; a length that a damaged file got wrong fails here, before it is allocated. */
    private static byte[] bytes(ByteBuffer in, int n) {
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("a length of " + n + " with " + in.remaining() + " bytes left");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }
}
