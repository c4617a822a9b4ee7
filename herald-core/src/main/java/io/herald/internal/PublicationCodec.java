package io.herald.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.herald.Json;
import io.herald.Message;
import io.herald.Publication;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A publication as the {@link DiskStore} writes it: compact JSON without its channel (the store's
 * key holds it), {@code {"e","d","k"?,"c"?,"f"?,"ep","o","ts"}}. Stateless and thread-safe.
 */
final class PublicationCodec {
    private PublicationCodec() {
    }

    static byte[] encode(Publication p) {
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

    /** @throws IllegalArgumentException when {@code bytes} is not a publication this codec wrote */
    static Publication decode(String channel, byte[] bytes) {
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
}
