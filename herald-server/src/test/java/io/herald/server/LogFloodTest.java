package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A flood of bad input logs at most one line per kind per second, with no stack trace, and never
 * hides another kind; a well-behaved client keeps receiving. The server's clock stands still
 * unless the test moves it.
 */
class LogFloodTest {
    private static final String BAD_INPUT = "io.herald.server.BadInput";
    private static final int N = 200;
    private static final TestClock clock = new TestClock();
    private static TestServer server;
    private TestClient bystander;

    @BeforeAll
    static void start() {
        // every message at once: batch timers compare against the clock, which stands still here
        HeraldConfig passThrough = HeraldConfig.newBuilder()
                .defaults(NamespaceOptions.newBuilder().throttleRate(0).batchMaxSize(1).build()).build();
        server = TestServer.start(b -> b, passThrough, clock);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void bystander() {
        clock.advance(Duration.ofSeconds(5)); // every kind may log again
        bystander = server.subscriber("flood:bystander");
    }

    @AfterEach
    void bystanderStillReceives() {
        long offset = server.herald.publish("flood:bystander", "check", 1).join().offset();
        assertThat(bystander.expect("message").path("offset").asLong()).isEqualTo(offset);
        assertThat(bystander.isOpen()).isTrue();
        bystander.close();
    }

    private static List<ILoggingEvent> badInputLines(LogCapture logs, String code) {
        return logs.events().stream().filter(e -> e.getLoggerName().equals(BAD_INPUT))
                .filter(e -> e.getFormattedMessage().contains("(" + code + ")")).toList();
    }

    @Test
    void floodOfBadRequestsLogsOneLinePerKindPerSecond() {
        try (LogCapture logs = LogCapture.of("io.herald"); RawHttp http = RawHttp.connect(server.port())) {
            for (int i = 0; i < N; i++) {
                assertThat(http.send("GET /nope-" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read().status()).isEqualTo(404);
                assertThat(http.send("GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: wrong-key-0123456789\r\n\r\n")
                        .read().status()).isEqualTo(401);
            }
            // one kind's flood does not hide another: each got its line
            assertThat(badInputLines(logs, "not_found")).hasSize(1);
            assertThat(badInputLines(logs, "unauthorized")).hasSize(1);
            assertThat(logs.events()).hasSizeLessThanOrEqualTo(4).allMatch(e -> e.getThrowableProxy() == null);

            clock.advance(Duration.ofSeconds(1));
            assertThat(http.send("GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read().status()).isEqualTo(404);
            List<ILoggingEvent> notFound = badInputLines(logs, "not_found");
            assertThat(notFound).hasSize(2);
            assertThat(notFound.get(1).getFormattedMessage()).contains((N - 1) + " of this kind not logged");
        }
    }

    @Test
    void floodOfBadCommandsLogsOneLine() {
        try (LogCapture logs = LogCapture.of(BAD_INPUT); TestClient c = server.client("/ws")) {
            for (int i = 0; i < 50; i++) { // under the inbound rate limit's burst
                c.send("{\"type\":\"nope\",\"id\":" + i + "}");
                assertThat(c.expect("error").path("code").asText()).isEqualTo("bad_request");
            }
            assertThat(badInputLines(logs, "bad_request")).hasSize(1);
            assertThat(logs.events()).allMatch(e -> e.getThrowableProxy() == null);
        }
    }

    @Test
    void refusedUpgradesLogOneLine() {
        try (LogCapture logs = LogCapture.of("io.herald")) {
            for (int i = 0; i < 50; i++) {
                try (RawHttp c = RawHttp.connect(server.port())) {
                    assertThat(c.send(RawHttp.upgrade("/ws", "Upgrade: websocket", "Connection: Upgrade")).read().status())
                            .isEqualTo(400);
                }
            }
            assertThat(badInputLines(logs, "bad_request")).hasSize(1);
            assertThat(logs.events()).hasSizeLessThanOrEqualTo(1);
        }
    }
}
