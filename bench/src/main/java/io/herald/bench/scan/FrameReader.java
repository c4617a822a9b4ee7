package io.herald.bench.scan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the fields the benchmark needs from a server frame with a streaming parser, skipping every
 * {@code data} payload: ten clients parsing 15,000 frames each in a few seconds must not starve
 * the server they share the machine with. Does not depend on the order of fields. Stateless.
 */
final class FrameReader {
    private static final JsonFactory JSON = new JsonFactory();

    private FrameReader() {
    }

    /** One message of a {@code message} or {@code batch} frame: its offset (-1 if absent) and event. */
    record Delivered(long offset, String event) {
    }

    /**
     * A frame: its {@code type}, the messages it carries (one for {@code message}, the elements of
     * {@code batch}, none otherwise), and {@code skipped} of a {@code lag} frame.
     */
    record Frame(String type, List<Delivered> messages, long skipped) {
    }

    static Frame read(ByteBuf content) throws IOException {
        try (InputStream in = new ByteBufInputStream(content.duplicate()); JsonParser p = JSON.createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            String type = "";
            long offset = -1;
            String event = "";
            long skipped = 0;
            List<Delivered> batch = List.of();
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "type" -> type = p.getValueAsString("");
                    case "offset" -> offset = p.getValueAsLong(-1);
                    case "event" -> event = p.getValueAsString("");
                    case "skipped" -> skipped = p.getValueAsLong(0);
                    case "messages" -> batch = readMessages(p, value);
                    default -> p.skipChildren();
                }
            }
            List<Delivered> messages = switch (type) {
                case "message" -> List.of(new Delivered(offset, event));
                case "batch" -> batch;
                default -> List.of();
            };
            return new Frame(type, messages, skipped);
        }
    }

    private static List<Delivered> readMessages(JsonParser p, JsonToken start) throws IOException {
        expect(start, JsonToken.START_ARRAY);
        List<Delivered> list = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t == JsonToken.START_OBJECT; t = p.nextToken()) {
            long offset = -1;
            String event = "";
            for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "offset" -> offset = p.getValueAsLong(-1);
                    case "event" -> event = p.getValueAsString("");
                    default -> p.skipChildren();
                }
            }
            list.add(new Delivered(offset, event));
        }
        return list;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }
}
