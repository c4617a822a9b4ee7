package io.herald.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.ErrorCode;
import io.herald.ClientSession;
import io.herald.MessageFrame;
import io.herald.Publication;
import io.herald.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the WebSocket's control frames (SPEC §5.1), including the core's {@code lag} and
 * {@code unsubscribed} events; the core ({@code io.herald.internal.Frames}) encodes {@code message}
 * and {@code batch} frames, once for a fan-out. There is one encoder per frame type.
 */
final class ServerFrames {
    private static final ByteBuf PING = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8)).asReadOnly());

    private ServerFrames() {
    }

    /**
     * A JSON text as a whole, unmasked WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, 7-, 16- or
     * 64-bit length): what Netty's frame encoder would write, made once for a fan-out.
     */
    static final MessageFrame.WireFormat WEBSOCKET_TEXT = (alloc, frame) -> {
        ByteBuf text = frame.text();
        int length = text.readableBytes();
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuf out = alloc.directBuffer(header + length);
        out.writeByte(0x81);
        if (length < 126) {
            out.writeByte(length);
        } else if (length <= 0xFFFF) {
            out.writeByte(126).writeShort(length);
        } else {
            out.writeByte(127).writeLong(length);
        }
        return out.writeBytes(text, text.readerIndex(), length);
    };

    /** {@code {"type":"ping"}}: shared, never released. */
    static ByteBuf ping() {
        return PING.duplicate();
    }

    static ByteBuf welcome(ByteBufAllocator alloc, JsonNode id, String connectionId, long heartbeatMs, long timeoutMs,
            String server) {
        return Json.encode(alloc, 128, g -> {
            start(g, "welcome", id);
            g.writeStringField("connectionId", connectionId);
            g.writeNumberField("heartbeatMs", heartbeatMs);
            g.writeNumberField("timeoutMs", timeoutMs);
            g.writeStringField("server", server);
            g.writeEndObject();
        });
    }

    /**
     * {@code {"type":"subscribed","channel","epoch","offset","recovered","state"?:[…]}}: where the
     * subscription starts, whether the client's position was recovered, and the channel's retained
     * state (the latest message of each key) when it has some to give.
     */
    static ByteBuf subscribed(ByteBufAllocator alloc, JsonNode id, String channel, ClientSession.Subscribed s) {
        return Json.encode(alloc, 128, g -> {
            start(g, "subscribed", id);
            g.writeStringField("channel", channel);
            g.writeStringField("epoch", s.position().epoch());
            g.writeNumberField("offset", s.position().offset());
            g.writeBooleanField("recovered", s.recovered());
            if (!s.state().isEmpty()) {
                g.writeArrayFieldStart("state");
                for (Publication p : s.state()) {
                    Json.writePublication(g, p);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    /**
     * {@code {"type":"unsubscribed","id"?,"channel","reason"?}}: the answer to a client's
     * {@code unsubscribe} (its {@code id}, no reason), or a subscription the server ended (a reason
     * such as {@code deleted} or {@code forbidden}). The one encoder of this frame.
     */
    static ByteBuf unsubscribed(ByteBufAllocator alloc, JsonNode id, String channel, String reason) {
        return Json.encode(alloc, 96, g -> {
            start(g, "unsubscribed", id);
            g.writeStringField("channel", channel);
            if (reason != null) {
                g.writeStringField("reason", reason);
            }
            g.writeEndObject();
        });
    }

    /** {@code {"type":"lag","channel":…,"skipped":N}}: N plain messages were dropped for this client. */
    static ByteBuf lag(ByteBufAllocator alloc, String channel, long skipped) {
        byte[] bytes = ("{\"type\":\"lag\",\"channel\":\"" + channel + "\",\"skipped\":" + skipped + "}")
                .getBytes(StandardCharsets.US_ASCII);
        return alloc.buffer(bytes.length).writeBytes(bytes);
    }

    /** The answer to {@code publish}: where the message went, with the epoch (SPEC §6). */
    static ByteBuf published(ByteBufAllocator alloc, JsonNode id, Publication p) {
        return Json.encode(alloc, 96, g -> {
            start(g, "published", id);
            g.writeStringField("channel", p.channel());
            g.writeNumberField("offset", p.offset());
            g.writeStringField("epoch", p.epoch());
            g.writeNumberField("ts", p.ts());
            g.writeEndObject();
        });
    }

    static ByteBuf pong(ByteBufAllocator alloc, JsonNode id) {
        return Json.encode(alloc, 32, g -> {
            start(g, "pong", id);
            g.writeEndObject();
        });
    }

    static ByteBuf error(ByteBufAllocator alloc, JsonNode id, ErrorCode code, String message) {
        return Json.encode(alloc, 128, g -> {
            start(g, "error", id);
            g.writeStringField("code", code.wire());
            g.writeStringField("message", message);
            g.writeEndObject();
        });
    }

    static ByteBuf shutdown(ByteBufAllocator alloc, long reconnectAfterMs) {
        return Json.encode(alloc, 64, g -> {
            start(g, "shutdown", null);
            g.writeNumberField("reconnectAfterMs", reconnectAfterMs);
            g.writeEndObject();
        });
    }

    private static void start(JsonGenerator g, String type, JsonNode id) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", type);
        if (id != null && !id.isNull()) {
            g.writeFieldName("id");
            g.writeTree(id);
        }
    }
}
