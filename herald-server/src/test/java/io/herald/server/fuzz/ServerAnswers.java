package io.herald.server.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.CloseCodes;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the server wrote on one connection, decoded as a client decodes it, every frame checked as
 * it comes. A frame that breaks a property fails with an {@link AssertionError} that shows it.
 *
 * <p>The properties: the bytes are well-formed unmasked frames without reserved bits; the server
 * sends only text, pong and close frames, never fragmented, and nothing after its close; every
 * text is one JSON object with a known {@code type}; an {@code error} frame has a client-facing
 * code (never {@code internal}); a close the server chose (it has a reason) has a code of SPEC
 * §5.1 for bad input or bad tokens (never 1011); a close without a reason echoes the client's.
 */
final class ServerAnswers {
    static final Set<String> TYPES = Set.of("welcome", "subscribed", "unsubscribed", "published", "message", "batch",
            "lag", "error", "ping", "pong", "shutdown");
    static final Set<String> ERROR_CODES = Set.of("bad_request", "unauthorized", "forbidden", "not_found", "too_large",
            "rate_limited");
    static final Set<Integer> SERVER_CLOSE_CODES = Set.of(CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_PAYLOAD,
            CloseCodes.POLICY_VIOLATION, CloseCodes.MESSAGE_TOO_BIG, CloseCodes.UNAUTHORIZED,
            CloseCodes.HEARTBEAT_TIMEOUT);

    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
            .expectMaskedFrames(false)
            .allowMaskMismatch(false)
            .allowExtensions(false)
            .maxFramePayloadLength(16 * 1024 * 1024)
            .closeOnProtocolViolation(false)
            .withUTF8Validator(true)
            .build()));
    private final List<JsonNode> texts = new ArrayList<>();
    private int closeCode = -1;
    private String closeReason;

    /** Reads what {@code server} wrote since the last call and checks each frame. */
    void drain(EmbeddedChannel server) {
        for (Object out = server.readOutbound(); out != null; out = server.readOutbound()) {
            if (!(out instanceof ByteBuf bytes)) {
                ReferenceCountUtil.release(out);
                throw new AssertionError("the server wrote something no encoder turned into bytes: " + out);
            }
            try {
                client.writeInbound(bytes);
            } catch (CorruptedWebSocketFrameException e) {
                throw new AssertionError("the server wrote a malformed frame", e);
            }
        }
        for (WebSocketFrame f = client.readInbound(); f != null; f = client.readInbound()) {
            try {
                check(f);
            } finally {
                f.release();
            }
        }
    }

    /** The JSON frames so far, in order. */
    List<JsonNode> texts() {
        return texts;
    }

    /** The code of the server's close frame, or -1 when it sent none. */
    int closeCode() {
        return closeCode;
    }

    boolean closed() {
        return closeCode != -1;
    }

    void release() {
        client.finishAndReleaseAll();
    }

    private void check(WebSocketFrame f) {
        if (closed()) {
            throw new AssertionError("the server sent " + describe(f) + " after its close frame " + closeCode + " "
                    + closeReason);
        }
        if (!f.isFinalFragment()) {
            throw new AssertionError("the server fragmented a frame: " + describe(f));
        }
        if (f instanceof TextWebSocketFrame t) {
            checkText(t.text());
        } else if (f instanceof CloseWebSocketFrame c) {
            checkClose(c.statusCode(), c.reasonText());
        } else if (!(f instanceof PongWebSocketFrame)) {
            throw new AssertionError("the server sent " + describe(f) + "; it sends only text, pong and close frames");
        }
    }

    private void checkText(String text) {
        JsonNode json;
        try {
            json = STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("the server sent a text frame that is not JSON: " + text, e);
        }
        if (json == null || !json.isObject() || !json.path("type").isTextual()) {
            throw new AssertionError("the server sent a frame without a type: " + text);
        }
        String type = json.get("type").asText();
        if (!TYPES.contains(type)) {
            throw new AssertionError("the server sent a frame of unknown type: " + text);
        }
        if (type.equals("error")) {
            if (json.path("code").asText().equals("internal")) {
                throw new AssertionError("the server answered with an internal error, a bug: " + text);
            }
            if (!ERROR_CODES.contains(json.path("code").asText()) || !json.path("message").isTextual()) {
                throw new AssertionError("the server sent an error frame without a known code and a message: " + text);
            }
        }
        texts.add(json);
    }

    private void checkClose(int code, String reason) {
        closeCode = code;
        closeReason = reason;
        if (code == CloseCodes.INTERNAL_ERROR && !reason.isEmpty()) {
            throw new AssertionError("the server closed with 1011 (" + reason + "), a bug: see its log for the exception");
        }
        if (!reason.isEmpty() && !SERVER_CLOSE_CODES.contains(code)) {
            throw new AssertionError("the server closed with " + code + " (" + reason + "), not a code for bad input: "
                    + SERVER_CLOSE_CODES);
        }
        if (reason.isEmpty() && code < CloseCodes.NORMAL) {
            throw new AssertionError("the server closed without a status code");
        }
    }

    private static String describe(WebSocketFrame f) {
        String content = f instanceof TextWebSocketFrame t ? " " + t.text() : " of " + f.content().readableBytes() + " bytes";
        return f.getClass().getSimpleName() + content;
    }
}
