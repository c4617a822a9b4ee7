package io.herald.client.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.client.ChannelMessage;
import io.herald.client.Position;
import java.util.Collection;
import java.util.Optional;

/**
 * The client's one JSON codec (it does not share the server's: a client pulls in no server code):
 * the mapper, the commands it sends (SPEC §5.1, client → server) and the message shape it reads.
 * Thread-safe.
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

    /**
     * A message of {@code channel} from its JSON shape {@code {"event","offset","ts","key"?,"data"}}
     * (a {@code message} frame, an element of a {@code batch}, an entry of {@code state}); an element
     * may name its own channel.
     *
     * @throws IllegalArgumentException when a field is missing or mistyped
     */
    static ChannelMessage message(String channel, JsonNode m) {
        JsonNode event = m.get("event");
        JsonNode offset = m.get("offset");
        if (event == null || !event.isTextual() || offset == null || !offset.canConvertToLong()) {
            throw new IllegalArgumentException("a message needs a text 'event' and an integer 'offset': " + abbreviate(m));
        }
        JsonNode key = m.get("key");
        JsonNode data = m.get("data");
        return new ChannelMessage(m.path("channel").asText(channel), event.asText(), offset.asLong(),
                m.path("ts").asLong(), key != null && key.isTextual() ? Optional.of(key.asText()) : Optional.empty(),
                data == null ? NullNode.getInstance() : data);
    }

    static String abbreviate(Object o) {
        String s = String.valueOf(o);
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
