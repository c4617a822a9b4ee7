package io.herald;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What a publisher sends (SPEC §2): a channel, an event name, any JSON {@code data}, and the
 * delivery hints {@code key}, {@code critical} and {@code final}. Immutable and thread-safe.
 *
 * <p>Memory: a message keeps its {@code data} as its compact JSON text (UTF-8 bytes), encoded once
 * when it is built, not as a tree: history holds thousands of messages per channel, and every frame
 * and answer copies those bytes as they are ({@link #writeData}). {@link #data()} parses them on each
 * call. An engine that keeps messages shares one copy of its channel's names between them
 * ({@link Builder#channel}, {@link Builder#event}).
 *
 * <pre>{@code
 * Message m = Message.builder("scan:42", "progress").data(json).key("progress").build();
 * Message done = Message.builder("scan:42", "scanCompleted").critical(true).finalMessage(true).build();
 * }</pre>
 */
public final class Message {
    /** The longest event name accepted, in characters. */
    public static final int MAX_EVENT_LENGTH = 255;

    /** The JSON text {@code null}; shared, never changed. */
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private final String channel;
    private final String event;
    /** Compact UTF-8 JSON; never changed, never handed out. */
    private final byte[] data;
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
        this.data = b.data == null ? NULL : b.data;
        this.key = b.key;
        this.critical = b.critical;
        this.finalMessage = b.finalMessage;
    }

    /** A plain message with the given data ({@code null}: JSON {@code null}). */
    public static Message of(String channel, String event, JsonNode data) {
        return builder(channel, event).data(data).build();
    }

    public static Builder builder(String channel, String event) {
        return new Builder(channel, event);
    }

    /** A builder starting from this message, for a copy to another channel ({@link Builder#channel}); the data is shared, not copied. */
    public Builder toBuilder() {
        Builder b = new Builder(channel, event).key(key).critical(critical).finalMessage(finalMessage);
        b.data = data;
        return b;
    }

    public String channel() {
        return channel;
    }

    public String event() {
        return event;
    }

    /**
     * The payload as a new tree, parsed from its JSON text on each call (JSON {@code null} when the
     * publisher gave none): keep the tree rather than call this twice. To copy the payload into
     * JSON, {@link #writeData} costs no parse.
     */
    public JsonNode data() {
        try {
            return Json.MAPPER.readTree(data);
        } catch (IOException e) {
            throw HeraldException.internal("cannot read the data of a message of '" + channel + "'", e);
        }
    }

    /** The payload's compact JSON text, e.g. {@code {"pct":5}}; {@code null} when the publisher gave none. */
    public String dataJson() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The size of the payload's compact JSON text in UTF-8 bytes (4 for {@code null}). */
    public int dataLength() {
        return data.length;
    }

    /** The payload's compact JSON text in UTF-8: a read-only view, not a copy (for encoders that copy it into a frame). */
    public ByteBuffer dataUtf8() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** Writes the payload as the next value of {@code g}, its JSON text copied as it is (no tree, no parse). */
    public void writeData(JsonGenerator g) throws IOException {
        g.writeRawValue(new RawJson(data));
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
                && Arrays.equals(data, m.data)
                && Objects.equals(key, m.key)
                && critical == m.critical
                && finalMessage == m.finalMessage;
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, event, Arrays.hashCode(data), key, critical, finalMessage);
    }

    @Override
    public String toString() {
        return "Message{channel=" + channel + ", event=" + event + ", key=" + key + ", critical=" + critical
                + ", final=" + finalMessage + ", data=" + dataJson() + '}';
    }

    /** Builds a {@link Message}; {@link #build()} validates and throws {@link HeraldException} on bad input. */
    public static final class Builder {
        private String channel;
        private String event;
        private byte[] data;
        private String key;
        private boolean critical;
        private boolean finalMessage;

        private Builder(String channel, String event) {
            this.channel = channel;
            this.event = event;
        }

        /** Replaces the channel given to {@link Message#builder} (a copy of a message to another channel). */
        public Builder channel(String channel) {
            this.channel = channel;
            return this;
        }

        /** Replaces the event name given to {@link Message#builder}. */
        public Builder event(String event) {
            this.event = event;
            return this;
        }

        /** The payload ({@code null}: JSON {@code null}); encoded here, so later changes to the tree do not count. */
        public Builder data(JsonNode data) {
            this.data = data == null ? null : Json.toBytes(data);
            return this;
        }

        /**
         * The payload as JSON text ({@code null}: JSON {@code null}), kept in its compact form.
         *
         * @throws HeraldException {@code bad_request} when {@code json} is not one JSON value
         */
        public Builder dataJson(String json) {
            this.data = json == null ? null : Json.compact(json);
            return this;
        }

        /** Compact JSON bytes that nothing else holds or changes (Herald's own encoders). */
        Builder encodedData(byte[] compactJson) {
            this.data = compactJson;
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
