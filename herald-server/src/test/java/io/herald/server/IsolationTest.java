package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One client's failure never affects delivery to others; the registry tracks each connection. */
class IsolationTest {

    @Test
    void clientsThatCrashMidStreamDoNotDisturbOthers() {
        try (TestServer server = TestServer.start()) {
            TestClient good = server.subscriber("iso:1");
            List<TestClient> doomed = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                doomed.add(server.subscriber("iso:1"));
            }
            for (int i = 1; i <= 200; i++) {
                server.publish("iso:1", "tick", Integer.toString(i));
                if (i % 20 == 0) {
                    doomed.get(i / 20 - 1).abort();
                }
            }
            for (int i = 1; i <= 200; i++) {
                assertThat(good.expect("message").path("offset").asLong()).isEqualTo(i);
            }
            await().until(() -> server.herald.subscriberCount("iso:1") == 1);
            good.close();
        }
    }

    @Test
    void registryRecordsConnectionDetails() throws Exception {
        try (TestServer server = TestServer.start()) {
            io.netty.handler.codec.http.DefaultHttpHeaders h = new io.netty.handler.codec.http.DefaultHttpHeaders();
            h.set("User-Agent", "herald-test/1.0");
            TestClient c = TestClient.connect(server.port(), "/ws/reg:1", h, false);
            String id = c.expect("welcome").path("connectionId").asText();
            c.expect("subscribed");
            server.publish("reg:1", "e", "1");
            c.expect("message");
            c.send("{\"type\":\"nonsense\"}");
            c.expect("error");
            ConnectionStats info = server.server.connection(id).orElseThrow();
            assertThat(info.state()).isEqualTo("connected");
            assertThat(info.remoteIp()).isEqualTo("127.0.0.1");
            assertThat(info.userAgent()).isEqualTo("herald-test/1.0");
            assertThat(info.subscriptions()).containsExactly("reg:1");
            assertThat(info.messagesOut()).isEqualTo(1);
            assertThat(info.messagesIn()).isEqualTo(1);
            assertThat(info.errors()).isEqualTo(1);
            assertThat(info.lastError()).get().asString().contains("unknown type");
            assertThat(info.bytesIn()).isPositive();
            assertThat(info.bytesOut()).isPositive();
            assertThat(info.connectedAt()).isPositive();
            c.close();
            await().until(() -> server.server.connectionCount() == 0);
        }
    }

    @Test
    void keepAlivePublisherIsServedOnOneConnection() throws Exception {
        try (TestServer server = TestServer.start(); TestClient c = server.subscriber("ka:1")) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 1; i <= 50; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/publish"))
                        .header("X-Api-Key", TestServer.PUBLISH_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"ka:1\",\"event\":\"e\",\"data\":" + i + "}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
            assertThat(c.messages(50)).extracting(m -> m.path("data").asInt()).startsWith(1, 2, 3).endsWith(50);
        }
    }
}
