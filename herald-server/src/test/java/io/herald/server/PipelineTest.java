package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.CloseCodes;
import io.herald.HeraldConfig;
import io.herald.Message;
import io.herald.NamespaceOptions;
import io.herald.Json;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SPEC §3 over real sockets: batches, coalescing, critical order, slow consumers. */
class PipelineTest {
    private static final String PAYLOAD = "x".repeat(1000);

    private static HeraldConfig config(NamespaceOptions slow) {
        return HeraldConfig.newBuilder().namespaces(Map.of("slow", slow)).build();
    }

    private static ObjectNode data(int i) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("i", i);
        n.put("pad", PAYLOAD);
        return n;
    }

    @Test
    void burstArrivesAsBatchFramesWithEveryMessageInOrder() {
        try (TestServer server = TestServer.start(); TestClient c = server.subscriber("batch:1")) {
            for (int i = 1; i <= 120; i++) {
                server.herald.publish(Message.builder("batch:1", "host").data(data(i)).build()).join();
            }
            for (int i = 1; i <= 120; i++) {
                assertThat(c.nextMessage().path("offset").asLong()).isEqualTo(i);
            }
            assertThat(c.batchFrames()).isBetween(3, 10);
        }
    }

    @Test
    void keyedUpdatesCoalesceToTheLatestValue() {
        try (TestServer server = TestServer.start(); TestClient c = server.subscriber("job:1")) {
            for (int pct = 1; pct <= 100; pct++) {
                server.herald.publish(Message.builder("job:1", "progress").key("progress")
                        .data(Json.MAPPER.createObjectNode().put("pct", pct)).build()).join();
            }
            server.herald.publish(Message.builder("job:1", "done").critical(true).build()).join();
            List<JsonNode> got = new ArrayList<>();
            JsonNode m;
            do {
                m = c.nextMessage();
                got.add(m);
            } while (!m.path("event").asText().equals("done"));
            List<JsonNode> progress = got.stream().filter(x -> x.path("event").asText().equals("progress")).toList();
            assertThat(progress.size()).isLessThan(10);
            assertThat(progress.get(progress.size() - 1).path("data").path("pct").asInt()).isEqualTo(100);
            assertThat(got.get(got.size() - 1).path("offset").asLong()).isEqualTo(101);
        }
    }

    @Test
    void criticalMessagesSurviveAFloodInOrder() {
        try (TestServer server = TestServer.start(); TestClient c = server.subscriber("flood:1")) {
            Set<Long> critical = new HashSet<>();
            int total = 5000;
            for (int i = 1; i <= total; i++) {
                boolean isCritical = i % 100 == 0;
                long offset = server.herald.publish(Message.builder("flood:1", isCritical ? "phase" : "host")
                        .critical(isCritical).data(data(i)).build()).join().offset();
                if (isCritical) {
                    critical.add(offset);
                }
            }
            long last = 0;
            long skipped = 0;
            int received = 0;
            Set<Long> criticalSeen = new HashSet<>();
            while (last < total) {
                JsonNode f = c.next();
                if (f.path("type").asText().equals("lag")) {
                    skipped += f.path("skipped").asLong();
                    continue;
                }
                List<JsonNode> messages = f.path("type").asText().equals("batch") ? toList(f.get("messages")) : List.of(f);
                for (JsonNode m : messages) {
                    assertThat(m.path("offset").asLong()).isGreaterThan(last);
                    last = m.path("offset").asLong();
                    received++;
                    if (m.path("event").asText().equals("phase")) {
                        criticalSeen.add(last);
                    }
                }
            }
            assertThat(criticalSeen).isEqualTo(critical);
            assertThat(received + skipped).isEqualTo(total);
        }
    }

    /**
     * A client that stops reading gets a lag frame for what was dropped, keeps every critical
     * message and the last value of its key, while a second client on the same channel receives
     * everything.
     */
    @Test
    void stalledClientGetsLagWhileOthersReceiveEverything() {
        // room for a burst of 500 messages of 1 KB (the fast client's), far less than the 6 MB the stalled one misses
        NamespaceOptions slow = NamespaceOptions.newBuilder().outboundBufferBytes(1024 * 1024).build();
        try (TestServer server = TestServer.start(b -> b, config(slow));
                TestClient fast = server.subscriber("slow:1");
                TestClient stalled = TestClient.connect(server.port(), "/ws/slow:1", new DefaultHttpHeaders(), false, 8192)) {
            stalled.expect("welcome");
            stalled.expect("subscribed");
            stalled.pauseReading();
            int total = 6000;
            Set<Long> critical = new HashSet<>();
            long lastKeyed = 0;
            Set<Long> fastOffsets = new HashSet<>();
            long last = 0;
            for (int i = 1; i <= total; i++) {
                Message.Builder b = Message.builder("slow:1", "host").data(data(i));
                if (i % 500 == 0) {
                    b = Message.builder("slow:1", "phase").critical(true).data(data(i));
                } else if (i % 7 == 0) {
                    b = Message.builder("slow:1", "progress").key("progress").data(data(i));
                }
                Message m = b.build();
                long offset = server.herald.publish(m).join().offset();
                if (m.critical()) {
                    critical.add(offset);
                } else if (m.key().isPresent()) {
                    lastKeyed = offset;
                }
                // the fast client reads each 500 as they come (a burst past its buffers would make it slow too)
                while (m.critical() && last < offset) {
                    last = fast.nextMessage().path("offset").asLong();
                    fastOffsets.add(last);
                }
            }
            // the fast client is not held back: every critical, every plain, the last keyed value
            assertThat(fastOffsets).containsAll(critical).contains(lastKeyed);

            stalled.resumeReading();
            long skipped = 0;
            long stalledLast = 0;
            Set<Long> seen = new HashSet<>();
            while (stalledLast < total) {
                JsonNode f = stalled.next();
                if (f.path("type").asText().equals("lag")) {
                    assertThat(f.path("channel").asText()).isEqualTo("slow:1");
                    skipped += f.path("skipped").asLong();
                    continue;
                }
                for (JsonNode m : f.path("type").asText().equals("batch") ? toList(f.get("messages")) : List.of(f)) {
                    assertThat(m.path("offset").asLong()).isGreaterThan(stalledLast);
                    stalledLast = m.path("offset").asLong();
                    seen.add(stalledLast);
                }
            }
            assertThat(skipped).as("the stalled client was told of drops").isPositive();
            assertThat(seen).containsAll(critical).contains(lastKeyed);
            assertThat(stalled.isOpen()).isTrue();
        }
    }

    @Test
    void clientThatCannotTakeEvenCriticalMessagesIsClosedWith4003() {
        NamespaceOptions slow = NamespaceOptions.newBuilder().outboundBufferBytes(16 * 1024).build();
        try (TestServer server = TestServer.start(b -> b, config(slow));
                TestClient fast = server.subscriber("slow:2");
                TestClient stalled = TestClient.connect(server.port(), "/ws/slow:2", new DefaultHttpHeaders(), false, 8192)) {
            stalled.expect("welcome");
            stalled.expect("subscribed");
            stalled.pauseReading();
            int sent = 0;
            int read = 0;
            while (server.herald.subscriberCount("slow:2") == 2 && sent < 20_000) {
                server.herald.publish(Message.builder("slow:2", "alert").critical(true).data(data(++sent)).build()).join();
                // the fast client reads as they come (a burst past its buffers would make it slow too)
                while (sent % 20 == 0 && read < sent) {
                    assertThat(fast.nextMessage().path("offset").asLong()).isEqualTo(++read);
                }
            }
            await().until(() -> server.herald.subscriberCount("slow:2") == 1);
            stalled.resumeReading();
            assertThat(stalled.awaitClose()).isEqualTo(CloseCodes.SLOW_CONSUMER);
            // the fast client got every one
            while (read < sent) {
                assertThat(fast.nextMessage().path("offset").asLong()).isEqualTo(++read);
            }
        }
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    @Test
    void messagesOfAStalledClientDoNotDelayOthers() {
        try (TestServer server = TestServer.start();
                TestClient fast = server.subscriber("delay:1");
                TestClient stalled = TestClient.connect(server.port(), "/ws/delay:1", new DefaultHttpHeaders(), false, 8192)) {
            stalled.expect("welcome");
            stalled.expect("subscribed");
            stalled.pauseReading();
            for (int i = 1; i <= 3000; i++) {
                server.herald.publish(Message.builder("delay:1", "host").data(data(i)).build()).join();
            }
            long start = System.nanoTime();
            server.herald.publish(Message.builder("delay:1", "ping").critical(true).build()).join();
            // the critical ping goes out alone; what comes before it (batches, and a lag should this reader
            // itself fall behind a 3 MB burst on a busy machine) is not the subject here
            fast.awaitFrame(f -> f.path("type").asText().equals("message") && f.path("event").asText().equals("ping"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
