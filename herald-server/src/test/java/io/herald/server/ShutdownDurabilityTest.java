package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.Engines;
import io.herald.HeraldConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful shutdown on the disk store answers the HTTP publishes under way: the engine closes
 * (committing them) before the connections and the event loops do, so each publish sent before the
 * shutdown gets its answer, and each one answered 200 is in the history after a restart on the
 * same data directory.
 */
class ShutdownDurabilityTest {
    private static final String CHANNEL = "drain:1";
    /** Long enough that nothing is committed before the shutdown: the publishes wait for the close's commit. */
    private static final Duration FLUSH_INTERVAL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static String publishRequest(String body, boolean keepAlive) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "X-Api-Key: " + TestServer.PUBLISH_KEY + "\r\nContent-Length: " + bytes.length + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n") + "\r\n" + body;
    }

    private static String message(int n) {
        return "{\"channel\":\"" + CHANNEL + "\",\"event\":\"step\",\"data\":" + n + "}";
    }

    @Test
    void publishesUnderWayAtShutdownAreAnsweredAndEveryAnsweredOneIsKept() throws Exception {
        TestServer server = TestServer.start(b -> b.drainTimeout(Duration.ofSeconds(5)), HeraldConfig.DEFAULTS,
                Engines.disk(dir, FLUSH_INTERVAL));
        List<RawHttp> publishers = new ArrayList<>();
        int published = 0;
        for (int i = 0; i < 8; i++) { // keep-alive connections, and some that close after their answer
            publishers.add(RawHttp.connect(server.port()).send(publishRequest(message(++published), i % 2 == 0)));
        }
        String batch = "[" + message(++published) + "," + message(++published) + "," + message(++published) + "]";
        publishers.add(RawHttp.connect(server.port()).send(publishRequest(batch, true)));
        TestClient subscriber = server.subscriber("drain:watch");
        long expected = published;
        await().until(() -> server.herald.position(CHANNEL).offset() == expected);
        String epoch = server.herald.position(CHANNEL).epoch();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        List<Long> answered = new ArrayList<>();
        for (RawHttp p : publishers) {
            RawHttp.Response r = p.read();
            assertThat(r.status()).as(r.body()).isIn(200, 503);
            if (r.status() == 200) {
                if (r.json().has("results")) {
                    r.json().path("results").forEach(x -> answered.add(x.path("offset").asLong()));
                } else {
                    answered.add(r.json().path("offset").asLong());
                }
            } else {
                assertThat(r.json().path("error").path("code").asText()).isEqualTo("unavailable");
            }
            p.close();
        }
        closing.get();
        assertThat(subscriber.expect("shutdown").has("reconnectAfterMs")).isTrue();
        subscriber.close();
        assertThat(answered).as("accepted before the shutdown, committed by the engine's close")
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);

        try (TestServer restarted = TestServer.withEngine(Engines.disk(dir, Duration.ofMillis(10)))) {
            TestServer.Response history = restarted.get("/api/channels/" + CHANNEL + "/history?since=0");
            assertThat(history.status()).as(history.body()).isEqualTo(200);
            assertThat(history.json().path("epoch").asText()).isEqualTo(epoch);
            List<Long> kept = new ArrayList<>();
            history.json().path("messages").forEach(m -> kept.add(m.path("offset").asLong()));
            assertThat(kept).containsAll(answered);
        }
    }
}
