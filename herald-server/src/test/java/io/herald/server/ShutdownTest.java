package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.CloseCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Graceful shutdown (SPEC §11) through {@code Herald.close()}. */
class ShutdownTest {

    @Test
    void closeSendsShutdownWithJitteredDelayThenCloses1001() {
        TestServer server = TestServer.start(b -> b.reconnectAfter(Duration.ofMillis(1000))
                .reconnectJitter(Duration.ofMillis(3000)).drainTimeout(Duration.ofSeconds(5)));
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(server.subscriber("shutdown:1"));
        }
        long start = System.nanoTime();
        server.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        java.util.Set<Long> delays = new java.util.HashSet<>();
        for (TestClient c : clients) {
            JsonNode s = c.expect("shutdown");
            long after = s.path("reconnectAfterMs").asLong();
            assertThat(after).isBetween(1000L, 4000L);
            delays.add(after);
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.GOING_AWAY);
        }
        assertThat(delays).as("jittered").hasSizeGreaterThan(1);
    }

    @Test
    void closedServerAcceptsNoConnections() {
        TestServer server = TestServer.start();
        int port = server.port();
        server.close();
        assertThatThrownBy(() -> TestClient.connect(port, "/ws")).isInstanceOf(Throwable.class);
        assertThat(server.herald.isClosed()).isTrue();
    }

    @Test
    void closeIsIdempotent() {
        TestServer server = TestServer.start();
        server.close();
        server.close();
        assertThat(server.server.isDraining()).isTrue();
    }
}
