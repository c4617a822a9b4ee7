package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.internal.FaultyDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk history store's faults as clients see them, over real sockets: a full disk makes
 * publishes fail with {@code unavailable} (HTTP 503 with the JSON error, a WebSocket {@code error})
 * while the server keeps serving, and they succeed again once the disk has room; a publish waiting
 * for its commit never holds its connection's event loop. The disk is a {@link FaultyDisk} (writes
 * fail while full, syncs wait while held).
 */
@Timeout(60)
class DiskFaultsOverSocketsTest {
    @TempDir
    Path dir;
    private FaultyDisk disk;
    private TestServer server;

    private void start() {
        start(b -> b);
    }

    private void start(UnaryOperator<ServerConfig.Builder> config) {
        disk = FaultyDisk.at(dir);
        server = TestServer.withEngine(disk.engine(Duration.ofMillis(10)), config);
    }

    @AfterEach
    void stop() {
        if (disk != null) {
            disk.full(false);
            disk.release();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String publisherToken() {
        return TestServer.token("pub", List.of("disk:*"), List.of("disk:*"), false, Duration.ofMinutes(5));
    }

    @Test
    void aFullDiskFailsPublishesWith503UntilItHasRoomAgainAndTheServerKeepsServing() {
        start();
        assertThat(server.publish("disk:1", "before", "1")).isEqualTo(1);
        try (TestClient subscriber = server.subscriber("disk:1");
                TestClient publisher = server.client("/ws?token=" + publisherToken())) {
            disk.full(true);

            TestServer.Response http = server.post("/api/publish", "{\"channel\":\"disk:1\",\"event\":\"e\",\"data\":2}");
            assertThat(http.status()).isEqualTo(503);
            JsonNode error = http.json().path("error");
            assertThat(error.path("code").asText()).isEqualTo("unavailable");
            assertThat(error.path("message").asText()).contains("cannot write history to " + dir.resolve("history.mv.db"))
                    .contains("No space left on device");

            publisher.send("{\"type\":\"publish\",\"id\":3,\"channel\":\"disk:1\",\"event\":\"e\",\"data\":3}");
            JsonNode wsError = publisher.expect("error");
            assertThat(wsError.path("id").asInt()).isEqualTo(3);
            assertThat(wsError.path("code").asText()).isEqualTo("unavailable");
            assertThat(wsError.path("message").asText()).contains("No space left on device");

            TestServer.Response health = server.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().path("engine").path("up").asBoolean()).isFalse();
            assertThat(health.json().path("engine").path("detail").asText()).contains("No space left on device");
            publisher.send("{\"type\":\"ping\",\"id\":\"p\"}");
            assertThat(publisher.expect("pong").path("id").asText()).isEqualTo("p");

            disk.full(false); // the store retries every second
            await().atMost(Duration.ofSeconds(10)).until(() -> server.get("/health").status() == 200);
            TestServer.Response again = server.post("/api/publish", "{\"channel\":\"disk:1\",\"event\":\"after\",\"data\":4}");
            assertThat(again.status()).isEqualTo(200);
            assertThat(subscriber.awaitFrame(f -> f.toString().contains("\"after\"")).toString())
                    .as("the subscriber stayed connected throughout").contains("\"after\"");
        }
    }

    @Test
    void publishesWaitingForTheirCommitDoNotHoldTheConnectionsEventLoop() {
        start(b -> b.inboundRate(100_000));
        try (TestClient publisher = server.client("/ws?token=" + publisherToken())) {
            publisher.send("{\"type\":\"publish\",\"id\":0,\"channel\":\"disk:2\",\"event\":\"e\",\"data\":0}");
            publisher.expect("published"); // the channel's epoch is on disk now
            disk.hold(); // a commit under way does not end until released
            int n = 3_000; // past what the earlier store reserved ahead, then synced on the publishing thread
            for (int i = 1; i <= n; i++) {
                publisher.send("{\"type\":\"publish\",\"id\":" + i + ",\"channel\":\"disk:2\",\"event\":\"e\",\"data\":" + i + "}");
            }
            publisher.send("{\"type\":\"ping\",\"id\":\"p\"}");
            JsonNode first = publisher.next();
            assertThat(first.path("type").asText()).as("the loop answers while the publishes wait for the disk")
                    .isEqualTo("pong");

            disk.release();
            for (int i = 1; i <= n; i++) {
                JsonNode published = publisher.expect("published");
                assertThat(published.path("id").asInt()).isEqualTo(i);
                assertThat(published.path("offset").asLong()).isEqualTo(i + 1);
            }
        }
    }
}
