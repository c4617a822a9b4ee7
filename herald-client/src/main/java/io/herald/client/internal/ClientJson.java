package io.herald.client.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.client.Position;
import java.util.Collection;
import java.util.Optional;

/**
 * The client's one JSON codec (it does not share the server's: a client pulls in no server code):
 * the mapper and the commands it sends (SPEC §5.1, client → server). Thread-safe.
 */
public final class ClientJson {
    /** Rejects trailing garbage after a JSON value, as the server does. */
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ClientJson() {
    }

    /** {@code {"type":"subscribe","id","channel","events"?,"since"?{epoch,offset}}}. */
    static String subscribe(long id, String channel, Collection<String> events, Position since) {
        ObjectNode o = command("subscribe", id).put("channel", channel);
        if (!events.isEmpty()) {
            events.forEach(o.putArray("events")::add);
        }
        if (since != null) {
            o.putObject("since").put("epoch", since.epoch()).put("offset", since.offset());
        }
        return o.toString();
    }

    /** {@code {"type":"unsubscribe","id","channel"}}. */
    static String unsubscribe(long id, String channel) {
        return command("unsubscribe", id).put("channel", channel).toString();
    }

    /** {@code {"type":"publish","id","channel","event","data","key"?,"critical"?}}. */
    static String publish(long id, String channel, String event, JsonNode data, Optional<String> key, boolean critical) {
        ObjectNode o = command("publish", id).put("channel", channel).put("event", event);
        o.set("data", data);
        key.ifPresent(k -> o.put("key", k));
        if (critical) {
            o.put("critical", true);
        }
        return o.toString();
    }

    /** The answer to the server's {@code ping}. */
    static String pong() {
        return "{\"type\":\"pong\"}";
    }

    private static ObjectNode command(String type, long id) {
        return MAPPER.createObjectNode().put("type", type).put("id", id);
    }

    static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
