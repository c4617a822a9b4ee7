package io.herald;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;

/**
 * The one JSON codec of Herald, shared by its modules (the core, the server, the clients and
 * tests): one configured {@link ObjectMapper} and a buffer encoder. Thread-safe.
 */
public final class Json {
    /** Shared mapper: rejects trailing garbage after a JSON value. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    /** Writes a JSON document with {@code body}. */
    @FunctionalInterface
    public interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    /** Converts a value (a JsonNode, Map, record, bean, String, number, null) to a JSON tree. */
    public static JsonNode toTree(Object value) {
        if (value instanceof JsonNode node) {
            return node;
        }
        try {
            return MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw HeraldException.badRequest("data cannot be converted to JSON: " + e.getMessage());
        }
    }

    /**
     * Encodes a value (a JsonNode, Map, record, bean, String, number) as compact UTF-8 JSON, without
     * building a tree.
     *
     * @throws HeraldException {@code bad_request} when it cannot be encoded
     */
    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw HeraldException.badRequest("data cannot be converted to JSON: " + e.getMessage());
        }
    }

    /**
     * The compact form of the JSON text {@code json} (whitespace gone), copied token by token, without
     * building a tree.
     *
     * @throws HeraldException {@code bad_request} when {@code json} is not exactly one JSON value
     */
    public static byte[] compact(String json) {
        try (JsonParser p = MAPPER.createParser(json); ByteArrayBuilder out = new ByteArrayBuilder(json.length())) {
            if (p.nextToken() == null) {
                throw HeraldException.badRequest("data is not JSON: no value");
            }
            try (JsonGenerator g = MAPPER.createGenerator(out)) {
                g.copyCurrentStructure(p);
            }
            if (p.nextToken() != null) {
                throw HeraldException.badRequest("data is not JSON: more than one value");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw HeraldException.badRequest("data is not JSON: " + e.getMessage());
        }
    }

    /** Encodes one JSON document into a new buffer from {@code alloc}; the caller owns the buffer. */
    public static ByteBuf encode(ByteBufAllocator alloc, int sizeHint, Writer body) {
        ByteBuf buf = alloc.buffer(sizeHint);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator((java.io.OutputStream) new ByteBufOutputStream(buf))) {
            body.write(g);
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw HeraldException.internal("cannot encode JSON frame", e);
        }
        return buf;
    }

    /** Encodes a JSON document as a String (for small, cold-path answers). */
    public static String toString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw HeraldException.internal("cannot encode JSON", e);
        }
    }

    /**
     * Writes {@code p} as the JSON object a client receives for a message,
     * {@code {"event","offset","ts","key"?,"data"}}: the one shape of a message in every frame,
     * answer and page.
     */
    public static void writePublication(JsonGenerator g, Publication p) throws IOException {
        g.writeStartObject();
        g.writeStringField("event", p.event());
        g.writeNumberField("offset", p.offset());
        g.writeNumberField("ts", p.ts());
        if (p.message().key().isPresent()) {
            g.writeStringField("key", p.message().key().get());
        }
        g.writeFieldName("data");
        p.message().writeData(g);
        g.writeEndObject();
    }

    /**
     * {@code p} as a value for an answer built of maps and lists: Jackson writes it as
     * {@link #writePublication} does, its {@code data} copied as it is.
     */
    public static Object publicationValue(Publication p) {
        return new JsonSerializable.Base() {
            @Override
            public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
                writePublication(g, p);
            }

            @Override
            public void serializeWithType(JsonGenerator g, SerializerProvider provider, TypeSerializer type)
                    throws IOException {
                writePublication(g, p);
            }
        };
    }
}
