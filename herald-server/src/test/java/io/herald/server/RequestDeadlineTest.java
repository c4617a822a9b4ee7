package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.HeraldConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every HTTP connection has a deadline: from accept to its first complete request, from a response
 * to the next request's first byte (keep-alive), and from that byte to the complete request. Each
 * case is closed and counted, and an open WebSocket (the bystander, older than every deadline here)
 * keeps receiving.
 */
class RequestDeadlineTest {
    private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    private static TestServer server;
    private TestClient bystander;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.handshakeTimeout(Duration.ofMillis(1000)).keepAliveTimeout(Duration.ofMillis(1500)),
                HeraldConfig.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void bystander() {
        bystander = server.subscriber("deadline:bystander");
    }

    @AfterEach
    void bystanderStillReceives() {
        // through the Java API: a pooled HTTP connection of the test's client would be cut as idle
        long offset = server.herald.publish("deadline:bystander", "check", 1).join().offset();
        assertThat(bystander.expect("message").path("offset").asLong()).isEqualTo(offset);
        assertThat(bystander.isOpen()).isTrue();
        bystander.close();
    }

    private static double timeouts(String phase) {
        return server.herald.meterRegistry().get("herald.http.timeouts").tag("phase", phase).counter().count();
    }

    @Test
    void connectionThatSaysNothingIsClosedAtTheHandshakeTimeout() {
        double before = timeouts("silent");
        long start = System.nanoTime();
        try (RawHttp c = RawHttp.connect(server.port())) {
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        await().until(() -> timeouts("silent") == before + 1);
    }

    @Test
    void idleKeepAliveConnectionIsClosedAtTheKeepAliveTimeout() {
        double before = timeouts("idle");
        try (RawHttp c = RawHttp.connect(server.port())) {
            assertThat(c.send(HEALTH).read().status()).isEqualTo(200);
            long answered = System.nanoTime();
            assertThat(c.closedByServer()).isTrue();
            // the keep-alive timeout, not the shorter request timeout
            assertThat(Duration.ofNanos(System.nanoTime() - answered)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        }
        await().until(() -> timeouts("idle") == before + 1);
    }

    @Test
    void keepAliveConnectionServesRequestAfterRequest() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            for (int i = 0; i < 5; i++) {
                assertThat(c.send(HEALTH).read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void slowSecondRequestIsCutAtTheHandshakeTimeout() {
        double before = timeouts("partial");
        try (RawHttp c = RawHttp.connect(server.port())) {
            assertThat(c.send(HEALTH).read().status()).isEqualTo(200);
            c.send("GET /health HTTP/1.1\r\nX-Slow: ");
            assertThat(c.closedByServer()).isTrue();
        }
        await().until(() -> timeouts("partial") == before + 1);
    }
}
