package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.CloseCodes;
import io.herald.HeraldConfig;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC §8 limits: each breach gets its code, and a well-behaved client keeps receiving. */
class LimitsTest {
    private static TestServer server;
    private TestClient bystander;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.inboundRate(20).maxConnectionsPerIp(12).maxConnectionsPerUser(2)
                .maxFragments(8).handshakeTimeout(Duration.ofMillis(300)), HeraldConfig.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void bystander() {
        bystander = server.subscriber("limits:bystander");
    }

    @AfterEach
    void bystanderStillReceives() {
        long offset = server.publish("limits:bystander", "check", "1");
        assertThat(bystander.expect("message").path("offset").asLong()).isEqualTo(offset);
        bystander.close();
    }

    @Test
    void commandFloodIsRateLimitedThenClosedWith1008() {
        try (TestClient c = server.client("/ws")) {
            for (int i = 0; i < 200 && c.isOpen(); i++) {
                try {
                    c.send("{\"type\":\"ping\",\"id\":" + i + "}");
                } catch (Exception closedMeanwhile) {
                    break;
                }
            }
            boolean limited = false;
            while (true) {
                var f = c.awaitFrameOrClose();
                if (f == null) {
                    break;
                }
                limited |= "rate_limited".equals(f.path("code").asText());
            }
            assertThat(limited).isTrue();
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.POLICY_VIOLATION);
        }
    }

    @Test
    void connectionsPastThePerIpLimitAreRefused() {
        // every connection from 127.0.0.1 counts: the bystander, WebSockets, and any keep-alive HTTP
        // connection of the test's HTTP client
        List<TestClient> open = new ArrayList<>();
        try {
            while (sockets() < 12) {
                open.add(server.client("/ws"));
            }
            assertThatThrownBy(() -> TestClient.connect(server.port(), "/ws")).hasStackTraceContaining("429");
        } finally {
            open.forEach(TestClient::close);
        }
    }

    private static int sockets() {
        return (int) server.herald.meterRegistry().get("herald.sockets").gauge().value();
    }

    @Test
    void connectionsPastThePerUserLimitCloseWith1013() {
        String token = TestServer.token("carol", List.of("limits:*"), List.of(), false, Duration.ofMinutes(5));
        try (TestClient a = server.client("/ws?token=" + token); TestClient b = server.client("/ws?token=" + token);
                TestClient c = TestClient.connect(server.port(), "/ws?token=" + token)) {
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
            assertThat(a.isOpen()).isTrue();
        }
        // the slots are given back: a new connection for carol is welcome again
        try (TestClient again = server.client("/ws?token=" + token)) {
            assertThat(again.isOpen()).isTrue();
        }
    }

    @Test
    void endlessContinuationFramesCloseWith1009() {
        try (TestClient c = server.client("/ws")) {
            c.sendFrame(new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer("{", StandardCharsets.UTF_8)));
            for (int i = 0; i < 20 && c.isOpen(); i++) {
                try {
                    c.sendFrame(new ContinuationWebSocketFrame(false, 0, Unpooled.copiedBuffer(" ", StandardCharsets.UTF_8)));
                } catch (Exception closed) {
                    break;
                }
            }
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        }
    }

    @Test
    void twoThousandHeadersAreAnswered431() throws Exception {
        StringBuilder req = new StringBuilder("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
        for (int i = 0; i < 2000; i++) {
            req.append("X-Header-").append(i).append(": value\r\n");
        }
        req.append("\r\n");
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 431");
        }
    }

    @Test
    void slowUpgradeIsCutAtTheHandshakeTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            InputStream in = s.getInputStream();
            assertThat(in.read()).as("closed by the server").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
