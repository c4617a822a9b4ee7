package io.herald.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.HeraldException;
import io.herald.Message;
import java.util.Iterator;

/**
 * Reads a {@link Message} from its JSON form, for the HTTP API and the WebSocket {@code publish}
 * command alike: {@code {channel, event, data?, key?, critical?, final?}}.
 */
final class MessageJson {
    private MessageJson() {
    }

    /** Reads {@code node}; {@code channel}, when not null, replaces the node's channel (broadcast). */
    static Message read(JsonNode node, String channel) {
        if (node == null || !node.isObject()) {
            throw HeraldException.badRequest("a message must be a JSON object");
        }
        String ch = channel != null ? channel : text(node, "channel", true);
        String event = text(node, "event", true);
        Message.Builder b = Message.builder(ch, event)
                .data(node.get("data"))
                .key(text(node, "key", false))
                .critical(bool(node, "critical"))
                .finalMessage(bool(node, "final"));
        return b.build();
    }

    /** Rejects fields a message does not have, so a typo ({@code "critcal"}) is not silently ignored. */
    static void rejectUnknown(JsonNode node, java.util.Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw HeraldException.badRequest("unknown field '" + f + "'");
            }
        }
    }

    static String text(JsonNode node, String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw HeraldException.missingField(field, "a string");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw HeraldException.missingField(field, "a string");
        }
        return v.asText();
    }

    static boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw HeraldException.badRequest("'" + field + "' must be true or false");
        }
        return v.booleanValue();
    }
}
