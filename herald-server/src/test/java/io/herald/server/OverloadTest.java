package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.CloseCodes;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 2 and 8: heartbeats measure liveness, not throughput. A subscriber that reads, but
 * slower than the server publishes, is never timed out and hears of every message it lost; one
 * that stopped reading is still found within the timeout, and counted once.
 */
class OverloadTest {
    /** Short heartbeats, so a ping queued behind a backlog would time out within the test. */
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration TIMEOUT = Duration.ofMillis(400);

    private TestServer server;
    private TestClient bystander;
    private ScheduledExecutorService reader;

    /**
     * The test client's first frame can take half a second (class loading, the mask's random
     * source): longer than these tests' heartbeat timeout. Send it before they start.
     */
    @BeforeAll
    static void warmUpTheClient() {
        try (TestServer warm = TestServer.start(); TestClient c = warm.client("/ws")) {
            c.send("{\"type\":\"ping\"}");
            c.expect("pong");
        }
    }

    @BeforeEach
    void start() {
        NamespaceOptions small = NamespaceOptions.newBuilder().outboundBufferBytes(32 * 1024).build();
        server = TestServer.start(b -> b.heartbeatInterval(INTERVAL).heartbeatTimeout(TIMEOUT),
                HeraldConfig.newBuilder().defaults(small).build());
        reader = Executors.newSingleThreadScheduledExecutor();
        bystander = TestClient.connect(server.port(), "/ws/overload:bystander").answerPings(true);
        bystander.expect("welcome");
        bystander.expect("subscribed");
    }

    @AfterEach
    void stop() {
        reader.shutdownNow();
        long offset = server.publish("overload:bystander", "check", "1");
        assertThat(bystander.awaitFrame(f -> f.path("type").asText().equals("message")).path("offset").asLong())
                .isEqualTo(offset);
        assertThat(bystander.isOpen()).isTrue();
        bystander.close();
        server.close();
    }

    private double heartbeatTimeouts() {
        Counter c = server.herald.meterRegistry().find("herald.heartbeat.timeouts").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aSlowReaderIsNeverTimedOutAndHearsOfEveryLoss() {
        TestClient slow = TestClient.connect(server.port(), "/ws/overload:1", new DefaultHttpHeaders(), false, 8192)
                .answerPings(true);
        slow.expect("welcome");
        slow.expect("subscribed");
        slow.pauseReading();
        // a client that reads, but slowly: one socket read every 20 ms
        reader.scheduleAtFixedRate(slow::readOnce, 50, 50, TimeUnit.MILLISECONDS);
        String one = "{\"channel\":\"overload:1\",\"event\":\"host\",\"data\":\"" + "x".repeat(400) + "\"}";
        String twenty = "[" + String.join(",", java.util.Collections.nCopies(20, one)) + "]";
        int published = 0;
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (published < 100_000 && System.nanoTime() < until) {
            assertThat(server.post("/api/publish", twenty).status()).isEqualTo(200);
            published += 20;
        }
        published++;
        server.publish("overload:1", "done", "1"); // the last one: the slow reader reads until it has it
        reader.shutdownNow();
        slow.resumeReading();

        Accounting seen = new Accounting();
        while (seen.last < published) {
            JsonNode f = slow.awaitFrameOrClose();
            assertThat(f).as("closed with %s after offset %d", slow.isOpen() ? "-" : slow.awaitClose(), seen.last)
                    .isNotNull();
            seen.add(f);
        }
        assertThat(slow.isOpen()).isTrue();
        assertThat(heartbeatTimeouts()).isZero();
        assertThat(seen.gaps).as("offsets missing with no lag to say so").isEmpty();
        assertThat(seen.received + seen.skipped).isEqualTo(published);
        assertThat(seen.skipped).as("the reader was slower than the publisher").isPositive();
        slow.close();
    }

    @Test
    void aReaderThatStoppedIsFoundWithinTheTimeoutAndCountedOnce() {
        TestClient stalled = TestClient.connect(server.port(), "/ws/overload:2", new DefaultHttpHeaders(), false, 4096)
                .answerPings(true);
        stalled.expect("welcome");
        stalled.expect("subscribed");
        stalled.pauseReading();
        String data = "\"" + "x".repeat(1000) + "\"";
        // fill the socket and the backlog: the close frame cannot get through, so the close takes a while
        for (int i = 0; i < 400; i++) {
            server.publish("overload:2", "host", data);
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> heartbeatTimeouts() >= 1);
        // while the close waits for the stalled client (5 s), heartbeats do not fire again
        await().atMost(Duration.ofSeconds(15)).until(() -> server.server.connections().size() == 1);
        assertThat(heartbeatTimeouts()).isEqualTo(1);
        stalled.abort();
    }

    @Test
    void anIdleClientThatAnswersNothingIsTimedOutWith4002() {
        TestClient silent = server.client("/ws");
        assertThat(silent.awaitClose()).isEqualTo(CloseCodes.HEARTBEAT_TIMEOUT);
        assertThat(heartbeatTimeouts()).isEqualTo(1);
    }

    /** What a client saw of one channel: offsets, lag counts, and any gap no lag explains. */
    static final class Accounting {
        long last;
        long received;
        long skipped;
        /** Lag announced but not yet matched by a gap. */
        long owed;
        final List<String> gaps = new ArrayList<>();

        void add(JsonNode f) {
            switch (f.path("type").asText()) {
                case "message" -> offset(f.path("offset").asLong());
                case "batch" -> f.path("messages").forEach(m -> offset(m.path("offset").asLong()));
                case "lag" -> {
                    skipped += f.path("skipped").asLong();
                    owed += f.path("skipped").asLong();
                }
                default -> {
                }
            }
        }

        private void offset(long o) {
            assertThat(o).as("offsets increase").isGreaterThan(last);
            long gap = o - last - 1;
            if (gap > owed) {
                gaps.add((last + 1) + ".." + (o - 1));
            }
            owed = Math.max(0, owed - gap);
            last = o;
            received++;
        }
    }
}
