package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.herald.Herald;
import io.herald.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 2: a publisher is told when a channel gains its first subscriber or loses its
 * last, on the system channel {@code $herald:occupancy} (admins only, nobody publishes there) and
 * through the optional webhook; and the HTTP API answers browsers of allowed origins (CORS).
 */
class OccupancyTest {
    private static final String ADMIN = TestServer.token("ops", List.of(), List.of(), true, Duration.ofMinutes(5));

    private static TestClient admin(TestServer server) {
        TestClient c = server.client("/ws?token=" + ADMIN);
        c.send("{\"type\":\"subscribe\",\"channel\":\"" + Herald.OCCUPANCY_CHANNEL + "\"}");
        c.expect("subscribed");
        return c;
    }

    @Test
    void anAdminSeesAChannelBecomeOccupiedAndVacantOnceEachInOrder() {
        try (TestServer server = TestServer.start(); TestClient ops = admin(server)) {
            TestClient a = server.subscriber("room:1");
            JsonNode occupied = ops.nextMessage();
            assertThat(occupied.path("event").asText()).isEqualTo("occupied");
            assertThat(occupied.path("data").path("channel").asText()).isEqualTo("room:1");

            TestClient b = server.subscriber("room:1"); // a second subscriber changes nothing
            a.close();
            b.close();
            JsonNode vacant = ops.nextMessage();
            assertThat(vacant.path("event").asText()).isEqualTo("vacant");
            assertThat(vacant.path("data").path("channel").asText()).isEqualTo("room:1");
            assertThat(vacant.path("offset").asLong()).isEqualTo(occupied.path("offset").asLong() + 1);
            ops.expectNothing(Duration.ofMillis(300));
        }
    }

    @Test
    void onlyAdminsSubscribeToSystemChannelsAndNobodyPublishesToThem() {
        try (TestServer server = TestServer.start(); TestClient anonymous = server.client("/ws")) {
            anonymous.send("{\"type\":\"subscribe\",\"id\":1,\"channel\":\"$herald:occupancy\"}");
            JsonNode refused = anonymous.expect("error");
            assertThat(refused.path("code").asText()).isEqualTo("forbidden");
            assertThat(refused.path("message").asText()).contains("system channel");

            TestServer.Response http = server.post("/api/publish",
                    "{\"channel\":\"$herald:occupancy\",\"event\":\"occupied\",\"data\":{\"channel\":\"fake\"}}");
            assertThat(http.status()).isEqualTo(403);
            assertThat(http.json().path("error").path("message").asText()).contains("only Herald publishes");

            try (TestClient ops = admin(server)) {
                ops.send("{\"type\":\"publish\",\"id\":2,\"channel\":\"$herald:occupancy\",\"event\":\"x\",\"data\":1}");
                assertThat(ops.expect("error").path("code").asText()).isEqualTo("forbidden");
            }
            // a $ anywhere else is still not a channel name
            assertThat(server.get("/api/channels/a$b").status()).isEqualTo(400);
        }
    }

    @Test
    void theWebhookIsPostedEachChangeWithASequenceNumber() throws IOException {
        List<JsonNode> calls = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            calls.add(Json.MAPPER.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        URI hook = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        try (TestServer server = TestServer.start(b -> b.occupancyWebhook(hook))) {
            TestClient c = server.subscriber("report:7");
            c.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() == 2);
            List<JsonNode> inOrder = calls.stream().sorted(Comparator.comparingLong(j -> j.path("seq").asLong())).toList();
            assertThat(inOrder.get(0).path("event").asText()).isEqualTo("occupied");
            assertThat(inOrder.get(1).path("event").asText()).isEqualTo("vacant");
            assertThat(inOrder).allSatisfy(j -> assertThat(j.path("channel").asText()).isEqualTo("report:7"));
            await().until(() -> new PrometheusText(server.get("/metrics").body())
                    .value("herald_webhook_calls_total{outcome=\"delivered\"}") == 2);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aBrowserOfAnAllowedOriginMayCallTheApiAndAnotherMayNot() {
        try (TestServer server = TestServer.start(
                b -> b.auth(TestServer.AUTH.toBuilder().allowedOrigins(List.of("https://app.example")).build()))) {
            try (RawHttp http = RawHttp.connect(server.port())) {
                RawHttp.Response pre = http.send("OPTIONS /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Origin: https://app.example\r\nAccess-Control-Request-Method: POST\r\n"
                        + "Access-Control-Request-Headers: content-type, x-api-key\r\n\r\n").read();
                assertThat(pre.status()).isEqualTo(204);
                assertThat(pre.header("access-control-allow-origin")).isEqualTo("https://app.example");
                assertThat(pre.header("access-control-allow-methods")).contains("POST");
                assertThat(pre.header("access-control-allow-headers")).containsIgnoringCase("x-api-key");

                RawHttp.Response get = http.send("GET /api/channels/x:1/subscribers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Origin: https://app.example\r\nX-Api-Key: " + TestServer.PUBLISH_KEY + "\r\n\r\n").read();
                assertThat(get.status()).isEqualTo(200);
                assertThat(get.header("access-control-allow-origin")).isEqualTo("https://app.example");
                assertThat(get.header("vary")).containsIgnoringCase("origin");
                assertThat(get.header("content-type")).isEqualTo("application/json");
                assertThat(get.json().path("subscribers").asInt()).isZero();

                // a page of the server's own origin (Origin == Host), as the dashboard: the whole answer, on a kept-alive connection
                RawHttp.Response post = http.send("POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n"
                        + "Origin: http://127.0.0.1:" + server.port() + "\r\nX-Api-Key: " + TestServer.PUBLISH_KEY
                        + "\r\nContent-Type: application/json\r\nContent-Length: 31\r\n\r\n"
                        + "{\"channel\":\"x:1\",\"event\":\"e\"}  ").read();
                assertThat(post.status()).as(post.body()).isEqualTo(200);
                assertThat(post.header("content-type")).isEqualTo("application/json");
                assertThat(post.header("content-length")).isNotNull();
                assertThat(post.json().path("offset").asLong()).isEqualTo(1);
            }
            try (RawHttp http = RawHttp.connect(server.port())) {
                RawHttp.Response pre = http.send("OPTIONS /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Origin: https://evil.example\r\nAccess-Control-Request-Method: POST\r\n\r\n").read();
                assertThat(pre.status()).isEqualTo(403);
                assertThat(pre.header("access-control-allow-origin")).isNull();
                RawHttp.Response get = http.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Origin: https://evil.example\r\n\r\n").read();
                assertThat(get.status()).isEqualTo(200);
                assertThat(get.header("access-control-allow-origin")).isNull();
            }
        }
    }
}
