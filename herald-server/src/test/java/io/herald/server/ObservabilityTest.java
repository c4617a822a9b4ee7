package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.CloseCodes;
import io.herald.Engines;
import io.herald.ForwardingEngine;
import io.herald.Herald;
import io.herald.HeraldConfig;
import io.herald.Message;
import io.herald.NamespaceOptions;
import io.herald.Json;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** SPEC §7: stats, channels, connections, health and metrics agree with the traffic on the wire. */
class ObservabilityTest {
    private static final String PAD = "y".repeat(1000);

    /** Reads a client's stream until the final message of the channel; returns messages and lag-skipped counts. */
    private static long[] drain(TestClient c, long lastOffset) {
        long messages = 0;
        long skipped = 0;
        long last = 0;
        while (last < lastOffset) {
            JsonNode f = c.next();
            switch (f.path("type").asText()) {
                case "lag" -> skipped += f.path("skipped").asLong();
                case "batch" -> {
                    messages += f.get("messages").size();
                    last = f.get("messages").get(f.get("messages").size() - 1).path("offset").asLong();
                }
                case "message" -> {
                    messages++;
                    last = f.path("offset").asLong();
                }
                default -> throw new AssertionError("unexpected " + f);
            }
        }
        return new long[] {messages, skipped};
    }

    @Test
    void statsConnectionsAndMetricsMatchTheTrafficOnTheWire() {
        NamespaceOptions obs = NamespaceOptions.newBuilder().outboundBufferBytes(32 * 1024).build();
        try (TestServer server = TestServer.start(b -> b, HeraldConfig.newBuilder().namespaces(Map.of("obs", obs)).build())) {
            List<TestClient> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(server.subscriber("obs:1"));
            }
            TestClient stalled = TestClient.connect(server.port(), "/ws/obs:1", new DefaultHttpHeaders(), false, 8192);
            stalled.expect("welcome");
            stalled.expect("subscribed");
            stalled.pauseReading();
            TestClient other = server.subscriber("obs:2");

            int published = 0;
            long received = 0;
            for (int i = 0; i < 6000; i++) {
                Message.Builder m = Message.builder("obs:1", i % 3 == 0 ? "progress" : "host")
                        .data(Json.MAPPER.createObjectNode().put("i", i).put("pad", PAD));
                if (i % 3 == 0) {
                    m.key("progress");
                }
                server.herald.publish(m.build()).join();
                published++;
                if (published % 500 == 0) {
                    // the reading clients keep up: a burst past their buffers would make them slow too
                    for (TestClient c : clients) {
                        received += drain(c, published)[0];
                    }
                }
            }
            server.herald.publish(Message.builder("obs:1", "done").critical(true).build()).join();
            published++;
            server.publish("obs:2", "e", "1");

            for (TestClient c : clients) {
                received += drain(c, published)[0];
            }
            stalled.resumeReading();
            long[] slow = drain(stalled, published);
            assertThat(slow[1]).as("the stalled client was told of drops").isPositive();
            received += slow[0];
            received += drain(other, 1)[0];

            // /api/stats
            JsonNode stats = server.get("/api/stats?namespace=obs").json();
            assertThat(stats.path("total_channels").asInt()).isEqualTo(2);
            assertThat(stats.path("total_messages").asLong()).isEqualTo(published + 1);
            JsonNode ch1 = stats.path("channels").get(0);
            assertThat(ch1.path("channel").asText()).isEqualTo("obs:1");
            assertThat(ch1.path("published").asLong()).isEqualTo(published);
            assertThat(ch1.path("subscribers").asInt()).isEqualTo(4);
            assertThat(ch1.path("dropped").asLong()).isEqualTo(slow[1]);
            long delivered = ch1.path("delivered").asLong() + stats.path("channels").get(1).path("delivered").asLong();
            assertThat(delivered).isEqualTo(received);
            assertThat(ch1.path("delivered").asLong() + ch1.path("coalesced").asLong() + ch1.path("dropped").asLong())
                    .as("each of 4 subscribers: every message delivered, coalesced or dropped").isEqualTo(4L * published);
            assertThat(ch1.path("coalesced").asLong()).isPositive();

            // /api/connections
            JsonNode conns = server.get("/api/connections").json();
            assertThat(conns.path("summary").path("active").asInt()).isEqualTo(5);
            assertThat(conns.path("summary").path("messages_sent").asLong()).isEqualTo(received);
            long sum = 0;
            long skipped = 0;
            long lagEvents = 0;
            for (JsonNode c : conns.path("connections")) {
                sum += c.path("messages_out").asLong();
                skipped += c.path("skipped").asLong();
                lagEvents += c.path("lag_events").asLong();
                assertThat(c.path("state").asText()).isEqualTo("connected");
                assertThat(c.path("remote_ip").asText()).isEqualTo("127.0.0.1");
            }
            assertThat(sum).isEqualTo(received);
            assertThat(skipped).as("the lag the connections were told, as /api/connections counts it").isEqualTo(slow[1]);
            assertThat(lagEvents).isPositive();
            assertThat(server.get("/api/connections?channel=obs:2").json().path("matching").asInt()).isEqualTo(1);
            JsonNode page = server.get("/api/connections?limit=2&offset=2").json();
            assertThat(page.path("connections")).hasSize(2);
            assertThat(page.path("matching").asInt()).isEqualTo(5);

            // /metrics
            TestServer.Response metrics = server.get("/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            PrometheusText prom = new PrometheusText(metrics.body());
            assertThat(prom.value("herald_messages_published_total{namespace=\"obs\"}")).isEqualTo(published + 1);
            assertThat(prom.value("herald_messages_delivered_total{namespace=\"obs\"}")).isEqualTo(received);
            assertThat(prom.value("herald_messages_dropped_total{namespace=\"obs\"}")).isEqualTo(slow[1]);
            assertThat(prom.value("herald_messages_sent_total")).isEqualTo(received);
            assertThat(prom.value("herald_connections")).isEqualTo(5);
            assertThat(prom.value("herald_connections_opened_total")).isEqualTo(5);
            assertThat(prom.value("herald_lag_events_total{namespace=\"obs\"}")).isPositive();
            assertThat(prom.has("herald_delivery_latency_seconds_bucket")).isTrue();
            assertThat(prom.has("jvm_memory_used_bytes")).isTrue();
            assertThat(metrics.body()).doesNotContain("obs:1");

            for (TestClient c : clients) {
                c.close();
            }
            stalled.close();
            other.close();
            await().until(() -> new PrometheusText(server.get("/metrics").body())
                    .value("herald_connections_closed_total{code=\"1000\"}") == 5);
        }
    }

    @Test
    void deletingAChannelUnsubscribesItsClients() {
        try (TestServer server = TestServer.start(); TestClient c = server.subscriber("del:1")) {
            server.publish("del:1", "e", "1");
            c.expect("message");
            assertThat(server.get("/api/channels/del:1").json().path("subscribers").asInt()).isEqualTo(1);
            TestServer.Response r = send(server, "DELETE", "/api/channels/del:1");
            assertThat(r.status()).isEqualTo(200);
            JsonNode u = c.expect("unsubscribed");
            assertThat(u.path("channel").asText()).isEqualTo("del:1");
            assertThat(u.path("reason").asText()).isEqualTo("deleted");
            assertThat(server.herald.subscriberCount("del:1")).isZero();
            assertThat(server.get("/api/channels/del:1").status()).isEqualTo(404);
            assertThat(send(server, "DELETE", "/api/channels/del:1").status()).isEqualTo(404);
            assertThat(server.publish("del:1", "e", "2")).as("starts again").isEqualTo(1);
            c.expectNothing(Duration.ofMillis(150));
        }
    }

    @Test
    void closingAConnectionSends1000WithAReason() {
        try (TestServer server = TestServer.start(); TestClient c = TestClient.connect(server.port(), "/ws")) {
            String id = c.expect("welcome").path("connectionId").asText();
            assertThat(send(server, "DELETE", "/api/connections/" + id).status()).isEqualTo(200);
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.NORMAL);
            assertThat(c.closeReason()).isEqualTo("closed by operator");
            assertThat(send(server, "DELETE", "/api/connections/nope").status()).isEqualTo(404);
        }
    }

    @Test
    void channelsListAndDetail() {
        try (TestServer server = TestServer.start()) {
            server.publish("list:a", "e", "1");
            server.publish("list:b", "e", "1");
            server.publish("other:c", "e", "1");
            JsonNode all = server.get("/api/channels?namespace=list").json().path("channels");
            assertThat(all).extracting(n -> n.path("channel").asText()).containsExactly("list:a", "list:b");
            JsonNode one = server.get("/api/channels/list:a").json();
            assertThat(one.path("offset").asLong()).isEqualTo(1);
            assertThat(one.path("published").asLong()).isEqualTo(1);
            assertThat(one.path("completed").asBoolean()).isFalse();
            assertThat(server.get("/api/channels/bad%20name").status()).isEqualTo(400);
        }
    }

    @Test
    void historyIsCountedPerChannelAndInMetricsWithEvictionsByReason() {
        TestClock clock = new TestClock();
        NamespaceOptions small = NamespaceOptions.newBuilder().historySize(3).historyTtl(Duration.ofMinutes(1)).build();
        try (TestServer server = TestServer.start(b -> b, HeraldConfig.newBuilder().namespaces(Map.of("h", small)).build(),
                clock)) {
            for (int i = 1; i <= 5; i++) {
                server.publish("h:1", "e", "{\"i\":" + i + "}"); // 7 bytes of data each
            }
            server.publish("h:2", "e", "[\"ab\"]"); // 6 bytes
            JsonNode one = server.get("/api/channels/h:1").json();
            assertThat(one.path("history")).isEqualTo(Json.MAPPER.createObjectNode().put("messages", 3)
                    .put("first_offset", 3).put("last_offset", 5).put("bytes", 21));
            assertThat(one.path("epoch").asText()).isEqualTo(server.herald.position("h:1").epoch());
            assertThat(server.get("/api/channels?namespace=h").json().path("channels").get(1).path("history")
                    .path("messages").asInt()).isEqualTo(1);
            PrometheusText prom = new PrometheusText(server.get("/metrics").body());
            assertThat(prom.value("herald_history_channels")).isEqualTo(2);
            assertThat(prom.value("herald_history_messages")).isEqualTo(4);
            assertThat(prom.value("herald_history_bytes")).isEqualTo(21 + 6);
            assertThat(prom.value("herald_history_evictions_total{reason=\"size\"}")).isEqualTo(2);
            assertThat(prom.has("herald_history_evictions_total{reason=\"ttl\"}")).isTrue();

            clock.advance(Duration.ofMinutes(1));
            server.herald.sweep().join(); // drops expired history; the channels stay (cleanupDelay 5 min)
            JsonNode expired = server.get("/api/channels/h:1").json();
            assertThat(expired.path("offset").asLong()).isEqualTo(5);
            assertThat(expired.path("history").path("messages").asInt()).isZero();
            assertThat(expired.path("history").path("first_offset").isNull()).isTrue();
            prom = new PrometheusText(server.get("/metrics").body());
            assertThat(prom.value("herald_history_channels")).isZero();
            assertThat(prom.value("herald_history_messages")).isZero();
            assertThat(prom.value("herald_history_bytes")).isZero();
            assertThat(prom.value("herald_history_evictions_total{reason=\"ttl\"}")).isEqualTo(4);
            assertThat(prom.value("herald_history_evictions_total{reason=\"size\"}")).isEqualTo(2);
        }
    }

    @Test
    void completedChannelsAreCountedAndTimed() {
        try (TestServer server = TestServer.start()) {
            server.post("/api/publish", "{\"channel\":\"job:1\",\"event\":\"done\",\"final\":true}");
            server.publish("job:2", "progress", "1");
            JsonNode stats = server.get("/api/stats?namespace=job").json();
            assertThat(stats.path("completed_channels").asInt()).isEqualTo(1);
            assertThat(stats.path("active_channels").asInt()).isEqualTo(1);
            assertThat(stats.path("average_elapsed_seconds").isNumber()).isTrue();
        }
    }

    @Test
    void healthIs503WhenTheEngineIsDown() {
        DownEngine engine = new DownEngine();
        HeraldServer server = HeraldServer.create(ServerConfig.newBuilder().port(0).build());
        try (Herald herald = Herald.builder().engine(engine).transport(server).start()) {
            HttpResponse<String> r = get(server.port(), "/health");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("\"status\":\"down\"").contains("redis unreachable");
        }
    }

    private static HttpResponse<String> get(int port, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static TestServer.Response send(TestServer server, String method, String path) {
        return server.request(method, path, null, "X-Api-Key", TestServer.ADMIN_KEY);
    }

    /** An engine that is up for publishing but reports itself down, as an unreachable Redis would. */
    private static final class DownEngine extends ForwardingEngine {
        DownEngine() {
            super(Engines.memory());
        }

        @Override
        public CompletableFuture<Health> health() {
            return CompletableFuture.completedFuture(new Health("redis", false, "redis unreachable"));
        }
    }
}
