package io.herald.examples.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.Herald;
import io.herald.HeraldClock;
import io.herald.server.AuthConfig;
import io.herald.server.HeraldServer;
import io.herald.server.ServerConfig;
import io.herald.workloads.DashboardWorkload;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The publisher's rule against a real Herald and a real WebSocket subscriber, its ticks driven by
 * hand: a snapshot per tick while someone watches, one when the first viewer arrives, none otherwise.
 */
class SnapshotPublisherTest {
    private static final String CHANNEL = "metrics:overview";

    @Test
    void publishesOnTicksOnlyWhileSomeoneWatchesAndOnceWhenTheFirstViewerArrives() {
        HeraldServer server = HeraldServer.create(ServerConfig.newBuilder().port(0)
                .auth(AuthConfig.newBuilder().anonymous(true).build()).build());
        try (Herald herald = Herald.builder().transport(server).start()) {
            SnapshotPublisher publisher = new SnapshotPublisher(herald, CHANNEL, Duration.ofSeconds(10),
                    new DashboardWorkload(1), HeraldClock.SYSTEM, Runnable::run);
            herald.addOccupancyListener(publisher);
            publisher.tick();
            publisher.tick();
            assertThat(publisher.published()).isZero();
            assertThat(herald.channel(CHANNEL)).isEmpty();

            WebSocket viewer = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/" + CHANNEL), new WebSocket.Listener() { })
                    .join();
            await().atMost(Duration.ofSeconds(10)).until(() -> publisher.published() == 1); // the arrival
            publisher.tick();
            publisher.tick();
            assertThat(publisher.published()).isEqualTo(3);
            assertThat(herald.position(CHANNEL).offset()).isEqualTo(3);

            viewer.abort();
            await().atMost(Duration.ofSeconds(10)).until(() -> herald.subscriberCount(CHANNEL) == 0);
            publisher.tick();
            assertThat(publisher.published()).isEqualTo(3);
            assertThat(publisher.status().get("skipped").asLong()).isEqualTo(3);
            assertThat(publisher.status().get("ticks").asLong()).isEqualTo(5);
        }
    }
}
