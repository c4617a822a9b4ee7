package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.CloseCodes;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Heartbeats (issue 2 §4): server pings, any client frame keeps the connection, silence closes 4002. */
class HeartbeatTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.heartbeatInterval(Duration.ofMillis(100)).heartbeatTimeout(Duration.ofMillis(600)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void serverSendsPingsAtTheInterval() {
        try (TestClient c = server.client("/ws")) {
            c.skipPings(false);
            JsonNode ping = c.next();
            assertThat(ping.path("type").asText()).isEqualTo("ping");
            assertThat(c.next().path("type").asText()).isEqualTo("ping");
        }
    }

    @Test
    void silentClientIsClosedWith4002() {
        try (TestClient c = server.client("/ws")) {
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.HEARTBEAT_TIMEOUT);
        }
    }

    @Test
    void clientThatAnswersStaysConnectedPastTheTimeout() {
        try (TestClient c = server.client("/ws")) {
            c.skipPings(false);
            long start = System.nanoTime();
            // answer 15 pings (~1.5 s, well past the 600 ms timeout) with pong frames of the protocol
            for (int i = 0; i < 15; i++) {
                assertThat(c.next().path("type").asText()).isEqualTo("ping");
                c.send("{\"type\":\"pong\"}");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(600));
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void webSocketPongFramesAlsoCountAsAlive() {
        try (TestClient c = server.client("/ws")) {
            c.skipPings(false);
            for (int i = 0; i < 10; i++) {
                assertThat(c.next().path("type").asText()).isEqualTo("ping");
                c.sendPong();
            }
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void timedOutConnectionLeavesTheRegistry() {
        TestClient c = server.client("/ws");
        int before = server.server.connectionCount();
        assertThat(c.awaitClose()).isEqualTo(CloseCodes.HEARTBEAT_TIMEOUT);
        await().until(() -> server.server.connectionCount() < before);
        c.close();
    }
}
