package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.CloseCodes;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: one client must never exhaust the server. Each case has a bystander that must stay
 * connected and lose nothing.
 */
class HardeningTest {
    private static final byte[] PING_PAYLOAD = new byte[125];

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void bystanderStillReceives(TestServer server, TestClient bystander, String channel) {
        long offset = server.publish(channel, "check", "1");
        assertThat(bystander.awaitFrame(f -> f.path("type").asText().equals("message")).path("offset").asLong())
                .isEqualTo(offset);
        assertThat(bystander.isOpen()).isTrue();
    }

    /** Sends up to {@code n} protocol pings, waiting for each write, until the server closes; returns its close code. */
    private static int pingUntilClosed(TestClient flooder, int n) {
        for (int i = 0; i < n && flooder.isOpen(); i++) {
            try {
                flooder.sendFrame(new PingWebSocketFrame(Unpooled.wrappedBuffer(PING_PAYLOAD)));
            } catch (Exception closedMeanwhile) {
                break;
            }
        }
        return flooder.awaitClose();
    }

    @Test
    void pingsCountAgainstTheInboundRate() {
        try (TestServer server = TestServer.start(b -> b.inboundRate(20));
                TestClient bystander = server.subscriber("hard:bystander");
                TestClient flooder = server.client("/ws")) {
            assertThat(pingUntilClosed(flooder, 200)).isEqualTo(CloseCodes.POLICY_VIOLATION);
            bystanderStillReceives(server, bystander, "hard:bystander");
        }
    }

    @Test
    void unauthenticatedPingsCountAgainstTheInboundRateToo() {
        AuthConfig auth = AuthConfig.newBuilder().jwtSecret(TestServer.SECRET).adminApiKeys(List.of(TestServer.ADMIN_KEY))
                .connectTimeout(Duration.ofSeconds(30)).build();
        String token = TestServer.token("carol", List.of("hard:*"), List.of(), false, Duration.ofMinutes(5));
        try (TestServer server = TestServer.start(b -> b.inboundRate(20).auth(auth));
                TestClient bystander = server.client("/ws/hard:bystander?token=" + token);
                TestClient flooder = TestClient.connect(server.port(), "/ws")) {
            bystander.expect("subscribed");
            assertThat(pingUntilClosed(flooder, 200)).isEqualTo(CloseCodes.POLICY_VIOLATION);
            bystanderStillReceives(server, bystander, "hard:bystander");
        }
    }

    /**
     * A client that pings within the rate but never reads the pongs: the answers are bounded by the
     * outbound bound like everything else, and the client is closed with 1008 past it.
     */
    @Test
    void aClientThatNeverReadsItsAnswersIsClosedAtTheOutboundBound() {
        NamespaceOptions small = NamespaceOptions.newBuilder().outboundBufferBytes(64 * 1024).build();
        try (TestServer server = TestServer.start(b -> b.inboundRate(1_000_000),
                HeraldConfig.newBuilder().defaults(small).build());
                TestClient bystander = server.subscriber("hard:bystander")) {
            long before = usedHeapAfterGc();
            TestClient flooder = TestClient.connect(server.port(), "/ws", new DefaultHttpHeaders(), false, 4096);
            flooder.expect("welcome");
            flooder.pauseReading();
            // Pongs of 127 bytes, unread, until the server gives up on the client: past what the kernel
            // may hold for it (its send buffer can grow to a few MiB, outside Herald's heap), the
            // rest waits in Herald, which closes the connection at 64 KiB + the outbound bound. Sent
            // without waiting for each write: a client that does not read is not a client that waits.
            int sent = 80_000; // 10 MB of pongs
            for (int i = 0; i < sent; i++) {
                flooder.sendFrameAsync(new PingWebSocketFrame(Unpooled.wrappedBuffer(PING_PAYLOAD)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> server.server.connections().size() == 1);
            flooder.abort(); // the test client's own unsent pings live in this JVM too
            long grown = usedHeapAfterGc() - before;
            assertThat(grown).as("heap growth in bytes after %d pings", sent).isLessThan(32L << 20);
            assertThat(server.herald.meterRegistry().find("herald.connections.closed").tag("code", "1008").counter())
                    .isNotNull();
            bystanderStillReceives(server, bystander, "hard:bystander");
        }
    }

    /** Issue 10, item 9: a dashboard polling a channel's stats does not keep it from being cleaned up. */
    @Test
    void watchingAChannelDoesNotKeepItAlive() {
        NamespaceOptions quick = NamespaceOptions.newBuilder().cleanupDelay(Duration.ofSeconds(1)).build();
        try (TestServer server = TestServer.start(b -> b, HeraldConfig.newBuilder().namespaces(Map.of("watched", quick)).build());
                TestClient bystander = server.subscriber("hard:bystander")) {
            server.publish("watched:1", "tick", "1");
            assertThat(server.get("/api/channels/watched:1").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100))
                    .until(() -> server.get("/api/channels/watched:1").status() == 404);
            assertThat(server.herald.channel("watched:1")).isEmpty();
            bystanderStillReceives(server, bystander, "hard:bystander");
        }
    }

    @Test
    void subscriptionsPerConnectionAreBounded() {
        try (TestServer server = TestServer.start(b -> b.maxSubscriptions(3));
                TestClient bystander = server.subscriber("hard:bystander");
                TestClient c = server.client("/ws")) {
            for (int i = 0; i < 3; i++) {
                c.send("{\"type\":\"subscribe\",\"channel\":\"hard:" + i + "\"}");
                c.expect("subscribed");
            }
            c.send("{\"type\":\"subscribe\",\"channel\":\"hard:3\",\"id\":1}");
            JsonNode error = c.expect("error");
            assertThat(error.path("code").asText()).isEqualTo("rate_limited");
            assertThat(error.path("message").asText()).contains("limits.maxSubscriptions");
            c.send("{\"type\":\"subscribe\",\"channel\":\"hard:2\"}"); // again: replaces, not one more
            c.expect("subscribed");
            c.send("{\"type\":\"unsubscribe\",\"channel\":\"hard:0\"}");
            c.expect("unsubscribed");
            c.send("{\"type\":\"subscribe\",\"channel\":\"hard:3\"}");
            c.expect("subscribed");
            bystanderStillReceives(server, bystander, "hard:bystander");
        }
    }

    @Test
    void aSecondConnectWithAnotherUsersTokenIsRefusedAndChangesNothing() {
        AuthConfig auth = AuthConfig.newBuilder().jwtSecret(TestServer.SECRET).adminApiKeys(List.of(TestServer.ADMIN_KEY))
                .build();
        String alice = TestServer.token("alice", List.of("room:*"), List.of(), false, Duration.ofMinutes(5));
        String bob = TestServer.token("bob", List.of("**"), List.of("**"), false, Duration.ofMinutes(5));
        String aliceNarrow = TestServer.token("alice", List.of(), List.of(), false, Duration.ofMinutes(10));
        try (TestServer server = TestServer.start(b -> b.auth(auth));
                TestClient c = server.client("/ws?token=" + alice)) {
            c.send("{\"type\":\"subscribe\",\"channel\":\"user:alice\"}");
            c.expect("subscribed");
            c.send("{\"type\":\"subscribe\",\"channel\":\"room:1\"}");
            c.expect("subscribed");

            c.send("{\"type\":\"connect\",\"token\":\"" + bob + "\",\"id\":7}");
            JsonNode error = c.expect("error");
            assertThat(error.path("code").asText()).isEqualTo("forbidden");
            assertThat(error.path("id").asInt()).isEqualTo(7);
            assertThat(server.get("/api/connections").json().path("connections").get(0).path("user").asText())
                    .isEqualTo("alice");
            // still alice, with alice's subscriptions, and without bob's rights
            server.publish("user:alice", "note", "1");
            assertThat(c.expect("message").path("channel").asText()).isEqualTo("user:alice");
            c.send("{\"type\":\"subscribe\",\"channel\":\"user:bob\",\"id\":8}");
            assertThat(c.expect("error").path("code").asText()).isEqualTo("forbidden");

            // the same user may renew its token; what the new one does not allow ends
            c.send("{\"type\":\"connect\",\"token\":\"" + aliceNarrow + "\"}");
            JsonNode ended = c.expect("unsubscribed");
            assertThat(ended.path("channel").asText()).isEqualTo("room:1");
            assertThat(ended.path("reason").asText()).isEqualTo("forbidden");
            c.expect("welcome");
            server.publish("room:1", "note", "1");
            server.publish("user:alice", "note", "2");
            JsonNode m = c.expect("message");
            assertThat(m.path("channel").asText()).isEqualTo("user:alice");
            assertThat(m.path("data").asInt()).isEqualTo(2);
        }
    }

    /**
     * SPEC §11: a message acknowledged before a graceful stop reaches every connected client before
     * its {@code shutdown} frame, however long its batch interval or throttle.
     */
    @Test
    void pendingBatchesAndThrottledKeysAreFlushedBeforeShutdown() {
        NamespaceOptions slow = NamespaceOptions.newBuilder().batchInterval(Duration.ofSeconds(30)).batchMaxSize(1000)
                .throttleRate(1).build();
        TestServer server = TestServer.start(b -> b.drainTimeout(Duration.ofSeconds(5)),
                HeraldConfig.newBuilder().namespaces(Map.of("slow", slow)).build());
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            clients.add(server.subscriber("slow:1"));
        }
        server.publish("slow:1", "host", "1");
        server.publish("slow:1", "progress", "{\"pct\":10}");
        server.publish("slow:1", "host", "2");
        assertThat(server.post("/api/publish", "{\"channel\":\"slow:1\",\"event\":\"progress\",\"key\":\"p\",\"data\":1}")
                .status()).isEqualTo(200);
        assertThat(server.post("/api/publish", "{\"channel\":\"slow:1\",\"event\":\"progress\",\"key\":\"p\",\"data\":2}")
                .status()).isEqualTo(200);
        server.close();
        for (TestClient c : clients) {
            List<Long> offsets = new ArrayList<>();
            JsonNode f;
            while (!(f = c.awaitFrameOrClose()).path("type").asText().equals("shutdown")) {
                if (f.path("type").asText().equals("batch")) {
                    f.path("messages").forEach(m -> offsets.add(m.path("offset").asLong()));
                } else if (f.path("type").asText().equals("message")) {
                    offsets.add(f.path("offset").asLong());
                }
            }
            // offset 4 (key p = 1) was superseded by 5: the latest value of every key arrives
            assertThat(offsets).containsExactly(1L, 2L, 3L, 5L);
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.GOING_AWAY);
        }
    }
}
