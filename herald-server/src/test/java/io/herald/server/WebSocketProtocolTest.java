package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC §5.1 over real sockets: welcome, subscribe, filters, unsubscribe, ping, one-step connect. */
class WebSocketProtocolTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void welcomeCarriesConnectionIdAndHeartbeatSettings() {
        try (TestClient c = TestClient.connect(server.port(), "/ws")) {
            JsonNode welcome = c.expect("welcome");
            assertThat(welcome.path("connectionId").asText()).isNotEmpty();
            assertThat(welcome.path("heartbeatMs").asLong()).isEqualTo(5000);
            assertThat(welcome.path("timeoutMs").asLong()).isEqualTo(30000);
            assertThat(welcome.path("server").asText()).startsWith("herald/");
        }
    }

    @Test
    void subscriberReceivesWhatIsPublishedOverHttp() {
        try (TestClient c = server.client("/ws")) {
            c.send("{\"type\":\"subscribe\",\"channel\":\"scan:recv\",\"id\":7}");
            JsonNode sub = c.expect("subscribed");
            assertThat(sub.path("id").asInt()).isEqualTo(7);
            assertThat(sub.path("channel").asText()).isEqualTo("scan:recv");
            assertThat(sub.path("offset").asLong()).isZero();
            assertThat(sub.path("epoch").asText()).isNotEmpty();

            long offset = server.publish("scan:recv", "progress", "{\"pct\":5}");
            assertThat(offset).isEqualTo(1);

            JsonNode m = c.expect("message");
            assertThat(m.path("channel").asText()).isEqualTo("scan:recv");
            assertThat(m.path("event").asText()).isEqualTo("progress");
            assertThat(m.path("offset").asLong()).isEqualTo(1);
            assertThat(m.path("ts").asLong()).isPositive();
            assertThat(m.path("data").path("pct").asInt()).isEqualTo(5);
            c.expectNothing(Duration.ofMillis(100));
        }
    }

    @Test
    void connectingToWsChannelSubscribesInOneStep() {
        try (TestClient c = TestClient.connect(server.port(), "/ws/scan:onestep")) {
            c.expect("welcome");
            JsonNode sub = c.expect("subscribed");
            assertThat(sub.path("channel").asText()).isEqualTo("scan:onestep");
            server.publish("scan:onestep", "hostDiscovered", "{\"ip\":\"10.0.0.1\"}");
            assertThat(c.expect("message").path("data").path("ip").asText()).isEqualTo("10.0.0.1");
        }
    }

    @Test
    void subscriberSeesOffsetsInOrderWhilePublishersRace() throws Exception {
        int perThread = 300;
        try (TestClient c = server.subscriber("race:1")) {
            List<Thread> publishers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        server.publish("race:1", "tick", "{\"t\":" + id + ",\"i\":" + i + "}");
                    }
                });
                th.start();
                publishers.add(th);
            }
            for (Thread t : publishers) {
                t.join();
            }
            long expected = 1;
            int[] lastPerPublisher = {-1, -1, -1};
            for (JsonNode m : c.messages(3 * perThread)) {
                assertThat(m.path("offset").asLong()).isEqualTo(expected++);
                int t = m.path("data").path("t").asInt();
                int i = m.path("data").path("i").asInt();
                assertThat(i).as("publisher %d's own order", t).isEqualTo(lastPerPublisher[t] + 1);
                lastPerPublisher[t] = i;
            }
            c.expectNothing(Duration.ofMillis(100));
        }
    }

    @Test
    void eventsFilterDeliversOnlyNamedEvents() {
        try (TestClient c = server.client("/ws")) {
            c.send("{\"type\":\"subscribe\",\"channel\":\"filter:1\",\"events\":[\"phaseStarted\"]}");
            c.expect("subscribed");
            server.publish("filter:1", "progress", "1");
            server.publish("filter:1", "phaseStarted", "\"ports\"");
            JsonNode m = c.expect("message");
            assertThat(m.path("event").asText()).isEqualTo("phaseStarted");
            assertThat(m.path("offset").asLong()).isEqualTo(2);
            c.expectNothing(Duration.ofMillis(100));
        }
    }

    @Test
    void unsubscribeStopsDelivery() {
        try (TestClient c = server.subscriber("unsub:1")) {
            server.publish("unsub:1", "a", "1");
            c.expect("message");
            c.send("{\"type\":\"unsubscribe\",\"channel\":\"unsub:1\",\"id\":\"u1\"}");
            JsonNode u = c.expect("unsubscribed");
            assertThat(u.path("id").asText()).isEqualTo("u1");
            assertThat(u.path("channel").asText()).isEqualTo("unsub:1");
            server.publish("unsub:1", "a", "2");
            c.expectNothing(Duration.ofMillis(150));
            assertThat(server.herald.subscriberCount("unsub:1")).isZero();
        }
    }

    @Test
    void lateSubscriberGetsOnlyWhatFollowsItsPosition() {
        server.publish("late:1", "a", "1");
        server.publish("late:1", "a", "2");
        try (TestClient c = server.client("/ws")) {
            c.send("{\"type\":\"subscribe\",\"channel\":\"late:1\"}");
            assertThat(c.expect("subscribed").path("offset").asLong()).isEqualTo(2);
            server.publish("late:1", "a", "3");
            assertThat(c.expect("message").path("offset").asLong()).isEqualTo(3);
        }
    }

    @Test
    void applicationPingIsAnsweredWithPongEchoingId() {
        try (TestClient c = server.client("/ws")) {
            c.send("{\"type\":\"ping\",\"id\":\"p-1\"}");
            assertThat(c.expect("pong").path("id").asText()).isEqualTo("p-1");
            c.send("{\"type\":\"pong\"}");
            c.expectNothing(Duration.ofMillis(100));
        }
    }

    @Test
    void connectFrameIsAnsweredWithWelcome() {
        try (TestClient c = server.client("/ws")) {
            c.send("{\"type\":\"connect\",\"id\":1}");
            assertThat(c.expect("welcome").path("id").asInt()).isEqualTo(1);
        }
    }

    @Test
    void protocolPingIsAnsweredWithPong() {
        try (TestClient c = server.client("/ws")) {
            c.sendFrame(new PingWebSocketFrame(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8)));
            WebSocketFrame f = c.nextFrame();
            try {
                assertThat(f).isInstanceOf(PongWebSocketFrame.class);
                assertThat(f.content().toString(StandardCharsets.UTF_8)).isEqualTo("hello");
            } finally {
                f.release();
            }
        }
    }

    @Test
    void publishOverWebSocketIsForbiddenWithoutPermission() {
        try (TestClient c = server.client("/ws")) {
            c.send("{\"type\":\"publish\",\"id\":3,\"channel\":\"x:1\",\"event\":\"e\",\"data\":1}");
            JsonNode e = c.expect("error");
            assertThat(e.path("code").asText()).isEqualTo("forbidden");
            assertThat(e.path("id").asInt()).isEqualTo(3);
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void publishOverWebSocketWhenTheTokenAllowsIt() {
        String token = TestServer.token("alice", List.of("chat:*"), List.of("chat:*"), false, Duration.ofMinutes(5));
        try (TestClient pub = server.client("/ws?token=" + token); TestClient sub = server.subscriber("chat:1")) {
            pub.send("{\"type\":\"publish\",\"id\":9,\"channel\":\"chat:1\",\"event\":\"say\",\"data\":{\"text\":\"hi\"}}");
            JsonNode ack = pub.expect("published");
            assertThat(ack.path("id").asInt()).isEqualTo(9);
            assertThat(ack.path("offset").asLong()).isEqualTo(1);
            assertThat(ack.path("epoch").asText()).isEqualTo(server.herald.position("chat:1").epoch());
            assertThat(sub.expect("message").path("data").path("text").asText()).isEqualTo("hi");
        }
    }

    @Test
    void compressedConnectionReceivesMessages() {
        try (TestClient c = TestClient.connect(server.port(), "/ws/deflate:1", new io.netty.handler.codec.http.DefaultHttpHeaders(), true)) {
            c.expect("welcome");
            c.expect("subscribed");
            String big = "\"" + "x".repeat(5000) + "\"";
            server.publish("deflate:1", "big", big);
            server.publish("deflate:1", "small", "1");
            assertThat(c.expect("message").path("data").asText()).hasSize(5000);
            assertThat(c.expect("message").path("data").asInt()).isEqualTo(1);
        }
    }
}
