package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Herald;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The live stats the dashboard reads (issue 14 item 1): Herald publishes a snapshot on
 * {@code $herald:stats} every second while an admin on this node subscribes, and nothing while nobody
 * does; a non-admin may not subscribe.
 */
class LiveStatsTest {
    private static final String ADMIN = TestServer.token("ops", List.of(), List.of(), true, Duration.ofMinutes(5));

    private static TestClient watcher(TestServer server) {
        TestClient c = server.client("/ws?token=" + ADMIN);
        c.send("{\"type\":\"subscribe\",\"channel\":\"" + Herald.STATS_CHANNEL + "\"}");
        c.expect("subscribed");
        return c;
    }

    /** Reads snapshots until one matches (a snapshot a second: the client's timeout is ten). */
    private static JsonNode snapshotWhere(TestClient c, Predicate<JsonNode> match) {
        List<JsonNode> seen = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            JsonNode m = c.nextMessage();
            assertThat(m.path("event").asText()).isEqualTo("stats");
            seen.add(m.path("data"));
            if (match.test(m.path("data"))) {
                return m.path("data");
            }
        }
        throw new AssertionError("no matching snapshot in " + seen);
    }

    @Test
    void anAdminGetsSnapshotsThatCountWhatWasPublishedDeliveredAndClosed() {
        try (TestServer server = TestServer.start(); TestClient ops = watcher(server);
                TestClient reader = server.subscriber("demo:1")) {
            JsonNode first = ops.nextMessage().path("data");
            assertThat(first.path("node").asText()).isEqualTo(server.herald.nodeId()).startsWith("herald-");
            assertThat(first.path("messages").path("published").asLong()).isZero();

            for (int i = 1; i <= 5; i++) {
                server.publish("demo:1", "tick", "{\"n\":" + i + "}");
            }
            reader.messages(5);
            TestClient.connect(server.port(), "/ws").close(); // one more connection, closed with 1000 by the client
            JsonNode s = snapshotWhere(ops, d -> d.path("messages").path("delivered").asLong() == 5
                    && d.path("connections").path("closed_by_code").path("1000").asLong() == 1
                    && d.path("top_channels").size() == 1);
            assertThat(s.path("messages").path("published").asLong()).isEqualTo(5);
            assertThat(s.path("channels").path("active").asLong()).isEqualTo(1);
            assertThat(s.path("connections").path("active").asLong()).isEqualTo(2);
            assertThat(s.path("connections").path("opened").asLong()).isEqualTo(3);
            assertThat(s.path("connections").path("closed").asLong()).isEqualTo(1);
            assertThat(s.path("traffic").path("bytes_out").asLong()).isPositive();
            assertThat(s.path("traffic").path("messages_sent").asLong()).isGreaterThanOrEqualTo(5);
            JsonNode top = s.path("top_channels").get(0);
            assertThat(top.path("channel").asText()).isEqualTo("demo:1");
            assertThat(top.path("published").asLong()).isEqualTo(5);
            assertThat(top.path("per_second").asDouble()).isPositive();
            assertThat(top.path("subscribers").asInt()).isEqualTo(1);
        }
    }

    @Test
    void latencyPercentilesCoverTheMessagesDeliveredInTheInterval() {
        try (TestServer server = TestServer.start(); TestClient ops = watcher(server);
                TestClient reader = server.subscriber("demo:2")) {
            ops.nextMessage(); // from here on, latencies are recorded
            server.publish("demo:2", "tick", "{}");
            reader.nextMessage();
            JsonNode s = snapshotWhere(ops, d -> d.path("latency_ms").path("count").asLong() > 0);
            JsonNode latency = s.path("latency_ms");
            assertThat(latency.path("p50").asLong()).isBetween(0L, latency.path("max").asLong());
            assertThat(latency.path("p99").asLong()).isLessThanOrEqualTo(latency.path("max").asLong());
            JsonNode next = ops.nextMessage().path("data");
            assertThat(next.path("latency_ms").path("count").asLong()).as("the next interval delivered nothing").isZero();
            assertThat(next.path("latency_ms").path("p50").isNull()).isTrue();
        }
    }

    @Test
    void watchingDoesNotCountItselfNorSlowConsumersNeverSeen() {
        try (TestServer server = TestServer.start(); TestClient ops = watcher(server)) {
            ops.nextMessage();
            JsonNode s = ops.nextMessage().path("data");
            assertThat(s.path("messages").path("published").asLong()).as("the stats channel's own messages").isZero();
            assertThat(s.path("channels").path("active").asLong()).isZero();
            assertThat(s.path("top_channels").size()).isZero();
            assertThat(s.path("connections").path("slow_consumers").asLong()).isZero();
            assertThat(s.path("connections").path("heartbeat_timeouts").asLong()).isZero();
        }
    }

    @Test
    void nothingIsPublishedWhileNobodyWatches() {
        try (TestServer server = TestServer.start()) {
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> server.herald.channel(Herald.STATS_CHANNEL).isEmpty());
            try (TestClient ops = watcher(server)) {
                ops.nextMessage();
            }
            long published = server.herald.channel(Herald.STATS_CHANNEL).orElseThrow().published();
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> server.herald.channel(Herald.STATS_CHANNEL).map(c -> c.published()).orElse(0L) <= published + 1);
        }
    }

    @Test
    void onlyAnAdminMaySubscribe() {
        String user = TestServer.token("u", List.of("**"), List.of(), false, Duration.ofMinutes(5));
        try (TestServer server = TestServer.start(); TestClient anonymous = server.client("/ws");
                TestClient withToken = server.client("/ws?token=" + user)) {
            for (TestClient c : List.of(anonymous, withToken)) {
                c.send("{\"type\":\"subscribe\",\"id\":1,\"channel\":\"$herald:stats\"}");
                JsonNode refused = c.expect("error");
                assertThat(refused.path("code").asText()).isEqualTo("forbidden");
                assertThat(refused.path("message").asText()).contains("system channel");
                c.expectNothing(Duration.ofMillis(1200));
            }
            TestServer.Response publish = server.post("/api/publish", "{\"channel\":\"$herald:stats\",\"event\":\"stats\",\"data\":{}}");
            assertThat(publish.status()).isEqualTo(403);
        }
    }

    @Test
    void aConfiguredNodeIdNamesTheSnapshots() {
        try (TestServer server = TestServer.start(b -> b, io.herald.HeraldConfig.newBuilder().nodeId("eu-1.a").build());
                TestClient ops = watcher(server)) {
            assertThat(ops.nextMessage().path("data").path("node").asText()).isEqualTo("eu-1.a");
        }
    }
}
