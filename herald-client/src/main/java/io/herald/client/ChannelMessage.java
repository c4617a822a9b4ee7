package io.herald.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.client.internal.ClientJson;
import java.util.Objects;
import java.util.Optional;

/**
 * A message of a channel, as a subscriber receives it (SPEC §2): unpacked from its frame, one per
 * message whether the server sent it alone or in a batch.
 *
 * @param channel the channel it was published to
 * @param event the event name
 * @param offset its offset in the channel, strictly increasing (a superseded keyed value leaves a gap that is no loss)
 * @param ts the server's publish time, epoch milliseconds
 * @param key what a keyed message updates, if it is keyed
 * @param data the payload, any JSON ({@code NullNode} for none)
 */
public record ChannelMessage(String channel, String event, long offset, long ts, Optional<String> key, JsonNode data) {
    public ChannelMessage {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(data, "data");
    }

    /**
     * The payload converted to {@code type} with the client's Jackson mapper.
     *
     * @throws IllegalArgumentException when it does not convert
     */
    public <T> T dataAs(Class<T> type) {
        try {
            return ClientJson.MAPPER.treeToValue(data, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("data of " + event + " on " + channel + " is not a "
                    + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
