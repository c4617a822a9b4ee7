package io.herald.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.herald.Json;
import io.herald.Message;
import io.herald.Publication;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes format 1 of the history file's entries, as the store wrote them before format 2 (the
 * encoders as they were), so that tests can give the store a file an earlier release left.
 */
final class FormatOne {
    private FormatOne() {
    }

    /** A publication as compact JSON without its channel: {@code {"e","d","k"?,"c"?,"f"?,"ep","o","ts"}}. */
    static byte[] publication(Publication p) {
        Message m = p.message();
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("e", m.event());
            g.writeFieldName("d");
            m.writeData(g);
            if (m.key().isPresent()) {
                g.writeStringField("k", m.key().get());
            }
            if (m.critical()) {
                g.writeBooleanField("c", true);
            }
            if (m.finalMessage()) {
                g.writeBooleanField("f", true);
            }
            g.writeStringField("ep", p.epoch());
            g.writeNumberField("o", p.offset());
            g.writeNumberField("ts", p.ts());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A log record: channel, epoch, the four longs of state, then each publication framed by its offset and length. */
    static byte[] record(HistoryRecord r) {
        byte[] c = r.channel().getBytes(StandardCharsets.UTF_8);
        byte[] e = r.epoch().getBytes(StandardCharsets.UTF_8);
        List<byte[]> encoded = new ArrayList<>();
        int size = 4 + c.length + 4 + e.length + 4 * 8;
        for (Publication p : r.publications()) {
            byte[] b = publication(p);
            encoded.add(b);
            size += 12 + b.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(c.length).put(c).putInt(e.length).put(e);
        out.putLong(r.offset()).putLong(r.historyStart()).putLong(r.completedAt()).putLong(r.lastActive());
        for (int i = 0; i < encoded.size(); i++) {
            out.putLong(r.publications().get(i).offset()).putInt(encoded.get(i).length).put(encoded.get(i));
        }
        return out.array();
    }
}
