package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Engines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable history over real sockets: a server on the disk engine is stopped and another started on
 * the same data directory; what the first acknowledged is there, in the same epoch, for the
 * history API and for a WebSocket client resuming from its position.
 */
class DurableHistoryTest {
    @TempDir
    Path dir;

    private TestServer start() {
        return TestServer.withEngine(Engines.disk(dir, Duration.ofMillis(10)));
    }

    @Test
    void aRestartKeepsHistoryForTheApiAndForAResumingClient() {
        String epoch;
        try (TestServer first = start()) {
            for (int i = 1; i <= 5; i++) {
                assertThat(first.publish("durable:1", "step", String.valueOf(i))).isEqualTo(i);
            }
            epoch = first.herald.position("durable:1").epoch();
        }

        try (TestServer second = start()) {
            TestServer.Response history = second.get("/api/channels/durable:1/history?since=2");
            assertThat(history.status()).as(history.body()).isEqualTo(200);
            assertThat(history.json().path("epoch").asText()).isEqualTo(epoch);
            assertThat(history.json().path("covered").asBoolean()).isTrue();
            List<Long> offsets = new ArrayList<>();
            history.json().path("messages").forEach(m -> offsets.add(m.path("offset").asLong()));
            assertThat(offsets).containsExactly(3L, 4L, 5L);

            try (TestClient c = second.client("/ws/durable:1?since=" + epoch + ":3")) {
                JsonNode subscribed = c.expect("subscribed");
                assertThat(subscribed.path("recovered").asBoolean()).isTrue();
                assertThat(subscribed.path("epoch").asText()).isEqualTo(epoch);
                List<Long> missed = new ArrayList<>();
                while (missed.size() < 2) {
                    JsonNode frame = c.next();
                    (frame.has("messages") ? frame.path("messages") : List.of(frame)).forEach(
                            m -> missed.add(m.path("offset").asLong()));
                }
                assertThat(missed).containsExactly(4L, 5L);
                assertThat(second.publish("durable:1", "step", "6")).as("the epoch goes on").isEqualTo(6);
            }
        }
    }
}
