package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 2: stats an operator can trust (completed channels outlive their cleanup in the
 * aggregate, for {@code stats.window}; subscribing alone is not activity) and a publisher can use
 * (subscriber counts with a publish key; occupancy in {@code /api/connections}' backlog and lag is
 * in {@link OccupancyTest} and here). Real server, manual clock; the background sweep runs on real
 * time and reads the manual clock.
 */
class OperatorStatsTest {
    private static final Duration CLEANUP = Duration.ofSeconds(60);

    private static HeraldConfig core(Duration window) {
        return HeraldConfig.newBuilder().defaults(NamespaceOptions.newBuilder().cleanupDelay(CLEANUP).build())
                .statsWindow(window).build();
    }

    private static JsonNode stats(TestServer server, String namespace) {
        return server.get("/api/stats?namespace=" + namespace).json();
    }

    @Test
    void completedChannelsOutliveTheirCleanupInTheAggregateForTheWindowAndTheAverageCoversOnlyThem() {
        TestClock clock = new TestClock();
        try (TestServer server = TestServer.start(b -> b, core(Duration.ofMinutes(10)), clock)) {
            server.publish("job:1", "progress", "1");
            clock.advance(Duration.ofSeconds(4));
            server.post("/api/publish", "{\"channel\":\"job:1\",\"event\":\"done\",\"final\":true}");
            server.publish("job:2", "progress", "1");
            clock.advance(Duration.ofSeconds(100)); // job:2 is active for 100 s: it must not pull the average
            server.publish("job:2", "progress", "2");

            JsonNode before = stats(server, "job");
            assertThat(before.path("completed_channels").asLong()).isEqualTo(1);
            assertThat(before.path("active_channels").asLong()).isEqualTo(1);
            assertThat(before.path("average_elapsed_seconds").asDouble()).isEqualTo(4.0);

            // job:1's cleanupDelay passed long ago: the sweep removes it, the aggregate keeps it
            await().atMost(Duration.ofSeconds(10)).until(() -> stats(server, "job").path("channels").size() == 1);
            JsonNode after = stats(server, "job");
            assertThat(after.path("completed_channels").asLong()).isEqualTo(1);
            assertThat(after.path("average_elapsed_seconds").asDouble()).isEqualTo(4.0);
            assertThat(after.path("completed_messages").asLong()).isEqualTo(2);
            assertThat(after.path("total_messages").asLong()).isEqualTo(4);
            assertThat(after.path("window_seconds").asLong()).isEqualTo(600);
            assertThat(after.path("channels").get(0).path("channel").asText()).isEqualTo("job:2");

            // past the window it is gone from the counts too; other namespaces never saw it
            assertThat(stats(server, "other").path("completed_channels").asLong()).isZero();
            clock.advance(Duration.ofMinutes(12));
            JsonNode later = stats(server, "job");
            assertThat(later.path("completed_channels").asLong()).isZero();
            assertThat(later.path("average_elapsed_seconds").asDouble()).isZero();
        }
    }

    @Test
    void subscribingAloneMakesAChannelIdleNotActiveAndItsCountersGoWithItsLastSubscriber() {
        TestClock clock = new TestClock();
        try (TestServer server = TestServer.start(b -> b, core(Duration.ofHours(1)), clock);
                TestClient watcher = server.subscriber("watch:quiet")) {
            JsonNode s = stats(server, "watch");
            assertThat(s.path("active_channels").asLong()).isZero();
            assertThat(s.path("idle_channels").asLong()).isEqualTo(1);
            assertThat(s.path("total_channels").asLong()).isEqualTo(1);

            server.publish("watch:quiet", "tick", "1");
            watcher.nextMessage();
            assertThat(stats(server, "watch").path("active_channels").asLong()).isEqualTo(1);

            // idle past its cleanupDelay with nobody subscribed: its counters go (no leak per channel ever seen)
            watcher.send("{\"type\":\"unsubscribe\",\"channel\":\"watch:quiet\"}");
            watcher.expect("unsubscribed");
            clock.advance(CLEANUP.plusSeconds(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> stats(server, "watch").path("total_channels").asLong() == 0);
        }
    }

    @Test
    void heraldsOwnChannelsStayOutOfTheListingsAndCountsUnlessAskedForAndKeepTheirOwnMetrics() {
        try (TestServer server = TestServer.start();
                TestClient watcher = server.subscriber("room:1")) { // its occupancy goes to $herald:occupancy
            server.publish("room:1", "tick", "1");
            watcher.nextMessage();
            await().until(() -> server.get("/api/channels?system=true").json().path("matching").asLong() == 2);

            JsonNode listed = server.get("/api/channels").json();
            assertThat(listed.path("matching").asLong()).isEqualTo(1);
            assertThat(listed.path("channels").get(0).path("channel").asText()).isEqualTo("room:1");
            JsonNode stats = server.get("/api/stats").json();
            assertThat(stats.path("total_channels").asLong()).isEqualTo(1);
            assertThat(stats.path("active_channels").asLong()).isEqualTo(1);
            assertThat(stats.path("total_messages").asLong()).isEqualTo(1);
            assertThat(stats.path("channels")).extracting(c -> c.path("channel").asText()).containsExactly("room:1");

            JsonNode all = server.get("/api/stats?system=true").json();
            assertThat(all.path("total_channels").asLong()).isEqualTo(2);
            assertThat(all.path("total_messages").asLong()).isEqualTo(2);
            assertThat(all.path("channels")).extracting(c -> c.path("channel").asText())
                    .containsExactly("$herald:occupancy", "room:1");
            assertThat(server.get("/api/channels?system=true").json().path("channels"))
                    .extracting(c -> c.path("channel").asText()).containsExactly("$herald:occupancy", "room:1");
            JsonNode own = server.get("/api/stats?namespace=$herald").json();
            assertThat(own.path("total_channels").asLong()).as("their namespace asks for them").isEqualTo(1);
            assertThat(server.get("/api/stats?system=maybe").status()).isEqualTo(400);

            String metrics = server.get("/metrics").body();
            assertThat(metrics).contains("herald_messages_published_total{namespace=\"$herald\"} 1.0",
                    "herald_messages_published_total{namespace=\"room\"} 1.0");
        }
    }

    @Test
    void aPublisherAsksHowManyWatchAChannelWithItsPublishKeyAndAnUntouchedChannelIsZeroNot404() {
        try (TestServer server = TestServer.start()) {
            TestServer.Response none = server.request("GET", "/api/channels/nobody:here/subscribers", null,
                    "X-Api-Key", TestServer.PUBLISH_KEY);
            assertThat(none.status()).isEqualTo(200);
            assertThat(none.json().path("subscribers").asInt()).isZero();
            assertThat(none.json().path("channel").asText()).isEqualTo("nobody:here");

            try (TestClient a = server.subscriber("dash:1"); TestClient b = server.subscriber("dash:1")) {
                JsonNode two = server.request("GET", "/api/channels/dash:1/subscribers", null,
                        "X-Api-Key", TestServer.PUBLISH_KEY).json();
                assertThat(two.path("subscribers").asInt()).isEqualTo(2);
            }
            assertThat(server.request("GET", "/api/channels/dash:1/subscribers", null).status()).isEqualTo(401);
            assertThat(server.request("GET", "/api/channels/bad%20name/subscribers", null,
                    "X-Api-Key", TestServer.PUBLISH_KEY).status()).isEqualTo(400);
            // the admin calls still need an admin key
            assertThat(server.request("GET", "/api/channels/dash:1", null, "X-Api-Key", TestServer.PUBLISH_KEY).status())
                    .isEqualTo(403);
        }
    }

    @Test
    void connectionsShowTheirBacklogAndLag() {
        try (TestServer server = TestServer.start(); TestClient c = server.subscriber("conn:1")) {
            server.publish("conn:1", "tick", "1");
            c.nextMessage();
            JsonNode conn = server.get("/api/connections").json().path("connections").get(0);
            assertThat(conn.has("backlog_messages")).isTrue();
            assertThat(conn.path("backlog_messages").asLong()).isZero();
            assertThat(conn.has("pending_bytes")).isTrue();
            assertThat(conn.path("lag_events").asLong()).isZero();
            assertThat(conn.path("skipped").asLong()).isZero();
            assertThat(conn.path("messages_out").asLong()).isEqualTo(1);
        }
    }

    @Test
    void theStatsWindowIsAConfigKeyAndRefusesLessThanAMinute() {
        assertThat(HeraldConfig.DEFAULTS.statsWindow()).isEqualTo(Duration.ofHours(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HeraldConfig.newBuilder().statsWindow(Duration.ofSeconds(5)))
                .hasMessageContaining("stats.window");
    }
}
