package io.herald;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;
import java.util.Optional;

/**
 * What a publisher sends (SPEC §2): a channel, an event name, any JSON {@code data}, and the
 * delivery hints {@code key}, {@code critical} and {@code final}. Immutable and thread-safe.
 *
 * <pre>{@code
 * Message m = Message.builder("scan:42", "progress").data(json).key("progress").build();
 * Message done = Message.builder("scan:42", "scanCompleted").critical(true).finalMessage(true).build();
 * }</pre>
 */
public final class Message {
    /** The longest event name accepted, in characters. */
    public static final int MAX_EVENT_LENGTH = 255;

    private final String channel;
    private final String event;
    private final JsonNode data;
    private final String key;
    private final boolean critical;
    private final boolean finalMessage;

    private Message(Builder b) {
        this.channel = ChannelNames.validate(b.channel);
        if (b.event == null || b.event.isEmpty()) {
            throw HeraldException.missingField("event", "a non-empty string");
        }
        if (b.event.length() > MAX_EVENT_LENGTH) {
            throw HeraldException.badRequest("event name is longer than " + MAX_EVENT_LENGTH + " characters");
        }
        if (b.key != null && (b.key.isEmpty() || b.key.length() > MAX_EVENT_LENGTH)) {
            throw HeraldException.badRequest("key must be 1-" + MAX_EVENT_LENGTH + " characters");
        }
        this.event = b.event;
        this.data = b.data == null ? NullNode.getInstance() : b.data;
        this.key = b.key;
        this.critical = b.critical;
        this.finalMessage = b.finalMessage;
    }

    /** A plain message with the given data. */
    public static Message of(String channel, String event, JsonNode data) {
        return builder(channel, event).data(data).build();
    }

    public static Builder builder(String channel, String event) {
        return new Builder(channel, event);
    }

    /** A builder starting from this message, for a copy to another channel. */
    public Builder toBuilder() {
        return new Builder(channel, event).data(data).key(key).critical(critical).finalMessage(finalMessage);
    }

    public String channel() {
        return channel;
    }

    public String event() {
        return event;
    }

    /** The payload; JSON {@code null} when the publisher gave none. */
    public JsonNode data() {
        return data;
    }

    /** What this message updates: a keyed message supersedes earlier ones with the same key. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /** Whether the publisher marked it critical (never throttled, coalesced or dropped). */
    public boolean critical() {
        return critical;
    }

    /** Whether it completes its channel. */
    public boolean finalMessage() {
        return finalMessage;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m
                && channel.equals(m.channel)
                && event.equals(m.event)
                && data.equals(m.data)
                && Objects.equals(key, m.key)
                && critical == m.critical
                && finalMessage == m.finalMessage;
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, event, data, key, critical, finalMessage);
    }

    @Override
    public String toString() {
        return "Message{channel=" + channel + ", event=" + event + ", key=" + key + ", critical=" + critical
                + ", final=" + finalMessage + ", data=" + data + '}';
    }

    /** Builds a {@link Message}; {@link #build()} validates and throws {@link HeraldException} on bad input. */
    public static final class Builder {
        private final String channel;
        private final String event;
        private JsonNode data;
        private String key;
        private boolean critical;
        private boolean finalMessage;

        private Builder(String channel, String event) {
            this.channel = channel;
            this.event = event;
        }

        public Builder data(JsonNode data) {
            this.data = data;
            return this;
        }

        /** The key, or {@code null} for none. */
        public Builder key(String key) {
            this.key = key;
            return this;
        }

        public Builder critical(boolean critical) {
            this.critical = critical;
            return this;
        }

        public Builder finalMessage(boolean finalMessage) {
            this.finalMessage = finalMessage;
            return this;
        }

        public Message build() {
            return new Message(this);
        }
    }
}
