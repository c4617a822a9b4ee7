package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.CloseCodes;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rule 4: every bad input gets the SPEC answer, the offending connection stays usable unless the
 * code says otherwise, and a well-behaved client on the same server keeps receiving.
 */
class BadInputTest {
    private static final int MAX = 4096;
    private static TestServer server;
    private static final AtomicLong published = new AtomicLong();
    private TestClient bystander;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.maxMessageSize(MAX));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void bystander() {
        bystander = server.subscriber("bystander:" + published.incrementAndGet());
    }

    @AfterEach
    void bystanderStillReceives() {
        String channel = "bystander:" + published.get();
        long offset = server.publish(channel, "check", "1");
        assertThat(bystander.expect("message").path("offset").asLong()).isEqualTo(offset);
        assertThat(bystander.isOpen()).isTrue();
        bystander.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            malformed JSON                | {"type":                                   | bad_request | malformed JSON
            trailing garbage              | {"type":"ping"} x                          | bad_request | malformed JSON
            JSON array                    | [1,2,3]                                    | bad_request | JSON object
            JSON number                   | 42                                         | bad_request | JSON object
            JSON string                   | "subscribe"                                | bad_request | JSON object
            missing type                  | {"channel":"a:1"}                          | bad_request | 'type'
            type not a string             | {"type":5}                                 | bad_request | 'type'
            unknown type                  | {"type":"subscribeAll"}                    | bad_request | unknown type
            missing channel               | {"type":"subscribe"}                       | bad_request | 'channel'
            channel not a string          | {"type":"subscribe","channel":["a"]}       | bad_request | 'channel'
            empty channel                 | {"type":"subscribe","channel":""}          | bad_request | empty
            space in channel              | {"type":"subscribe","channel":"scan 1"}    | bad_request | invalid channel name
            unicode in channel            | {"type":"subscribe","channel":"scan:é"}    | bad_request | invalid channel name
            wildcard in channel           | {"type":"subscribe","channel":"task:*"}    | bad_request | wildcards are not supported in a channel name ('task:*'): channel patterns such as task:* are for tokens; subscribe to a channel name
            events not an array           | {"type":"subscribe","channel":"a:1","events":"x"} | bad_request | 'events'
            since malformed               | {"type":"subscribe","channel":"a:1","since":{"offset":"x"}} | bad_request | 'since'
            id an object                  | {"type":"ping","id":{"a":1}}               | bad_request | 'id'
            unsubscribe without channel   | {"type":"unsubscribe"}                     | bad_request | 'channel'
            """)
    void badCommandGetsErrorAndConnectionStaysOpen(String name, String frame, String code, String hint) {
        try (TestClient c = server.client("/ws")) {
            c.send(frame);
            JsonNode e = c.expect("error");
            assertThat(e.path("code").asText()).isEqualTo(code);
            assertThat(e.path("message").asText()).contains(hint);
            // still usable
            c.send("{\"type\":\"ping\",\"id\":1}");
            assertThat(c.expect("pong").path("id").asInt()).isEqualTo(1);
        }
    }

    @Test
    void errorEchoesTheCommandId() {
        try (TestClient c = server.client("/ws")) {
            c.send("{\"type\":\"subscribe\",\"id\":\"s-9\",\"channel\":\"no spaces\"}");
            JsonNode e = c.expect("error");
            assertThat(e.path("id").asText()).isEqualTo("s-9");
        }
    }

    @Test
    void tooLongChannelNameIsRejected() {
        try (TestClient c = server.client("/ws")) {
            c.send("{\"type\":\"subscribe\",\"channel\":\"" + "a".repeat(256) + "\"}");
            assertThat(c.expect("error").path("message").asText()).contains("longer than 255");
        }
    }

    @Test
    void invalidChannelInPathIsRefusedBeforeUpgrade() {
        TestServer.Response r = server.get("/ws/bad%20channel");
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void binaryFrameGetsError() {
        try (TestClient c = server.client("/ws")) {
            c.sendFrame(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
            assertThat(c.expect("error").path("message").asText()).contains("binary");
        }
    }

    @Test
    void invalidUtf8ClosesWith1007() {
        try (TestClient c = server.client("/ws")) {
            c.sendRawText(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.INVALID_PAYLOAD);
        }
    }

    @Test
    void frameOverMaxMessageSizeClosesWith1009() {
        try (TestClient c = server.client("/ws")) {
            c.send("{\"type\":\"ping\",\"id\":\"" + "x".repeat(MAX + 1) + "\"}");
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        }
    }

    @Test
    void fragmentedMessageOverMaxClosesWith1009() {
        try (TestClient c = server.client("/ws")) {
            byte[] chunk = "x".repeat(1000).getBytes(StandardCharsets.UTF_8);
            c.sendFrame(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(chunk)));
            for (int i = 0; i < 10 && c.isOpen(); i++) {
                try {
                    c.sendFrame(new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(chunk)));
                } catch (Exception closedMeanwhile) {
                    break;
                }
            }
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        }
    }

    @Test
    void reservedBitWithoutAnExtensionClosesWith1002() {
        try (TestClient c = server.client("/ws")) {
            c.sendFrame(new TextWebSocketFrame(true, 4, Unpooled.copiedBuffer("{\"type\":\"ping\"}", StandardCharsets.UTF_8)));
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
        }
    }

    @Test
    void reservedBitTheDeflateExtensionDoesNotDefineClosesWith1002() {
        try (TestClient c = TestClient.connect(server.port(), "/ws", new io.netty.handler.codec.http.DefaultHttpHeaders(), true)) {
            c.expect("welcome");
            c.sendFrame(new TextWebSocketFrame(true, 2, Unpooled.copiedBuffer("{\"type\":\"ping\"}", StandardCharsets.UTF_8)));
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
        }
    }

    @Test
    void clientLeavingInTheMiddleOfAMessageIsNoInternalError() {
        TestClient c = server.client("/ws");
        c.sendFrame(new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer("{\"type\":", StandardCharsets.UTF_8)));
        int before = server.server.connectionCount();
        c.abort();
        org.awaitility.Awaitility.await().until(() -> server.server.connectionCount() < before);
        PrometheusText metrics = new PrometheusText(server.get("/metrics").body());
        assertThat(metrics.value("herald_connections_closed_total{code=\"1011\"}")).isZero();
        assertThat(metrics.value("herald_errors_total{code=\"internal\"}")).isZero();
    }

    @Test
    void deflateBombClosesWith1009() {
        try (TestClient c = TestClient.connect(server.port(), "/ws", new io.netty.handler.codec.http.DefaultHttpHeaders(), true)) {
            c.expect("welcome");
            // 8 MiB of one character deflates to a few KiB: the frame is small, the message is not
            c.send("{\"type\":\"ping\",\"id\":\"" + "a".repeat(8 * 1024 * 1024) + "\"}");
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        }
    }

    @Test
    void fragmentedMessageWithinLimitIsAssembled() {
        try (TestClient c = server.client("/ws")) {
            c.sendFrame(new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer("{\"type\":\"pi", StandardCharsets.UTF_8)));
            c.sendFrame(new ContinuationWebSocketFrame(true, 0, Unpooled.copiedBuffer("ng\",\"id\":5}", StandardCharsets.UTF_8)));
            assertThat(c.expect("pong").path("id").asInt()).isEqualTo(5);
        }
    }

    @Test
    void abruptDisconnectLeavesNoTrace() {
        TestClient c = server.subscriber("bystander:" + published.get());
        c.abort();
        org.awaitility.Awaitility.await().until(() -> server.herald.subscriberCount("bystander:" + published.get()) == 1);
    }
}
