package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC §6 recovery over WebSocket: a client that comes back with its position gets exactly what it
 * missed, in order, then the live stream, with no gap and nothing twice at the seam; a position
 * that cannot be recovered says so and the subscription is live anyway.
 */
class RecoveryTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        NamespaceOptions rec = NamespaceOptions.newBuilder().historySize(1000).build();
        NamespaceOptions small = NamespaceOptions.newBuilder().historySize(10).build();
        NamespaceOptions race = NamespaceOptions.newBuilder().historySize(200_000).throttleRate(0).build();
        NamespaceOptions wide = NamespaceOptions.newBuilder().historySize(10_000).outboundBufferBytes(8192).build();
        server = TestServer.start(b -> b.inboundRate(100_000), HeraldConfig.newBuilder()
                .namespaces(Map.of("rec", rec, "small", small, "race", race, "wide", wide)).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String since(String epoch, long offset) {
        return "{\"epoch\":\"" + epoch + "\",\"offset\":" + offset + "}";
    }

    /** Every message of the frames that come until offset {@code last}, in order. */
    private static List<JsonNode> messagesUpTo(TestClient c, long last) {
        List<JsonNode> out = new ArrayList<>();
        long seen = 0;
        while (seen < last) {
            JsonNode m = c.nextMessage();
            out.add(m);
            seen = m.path("offset").asLong();
        }
        return out;
    }

    @Test
    void aClientThatComesBackGetsExactlyWhatItMissedThenTheLiveStream() {
        String epoch;
        try (TestClient first = server.subscriber("rec:1")) {
            for (int i = 1; i <= 5; i++) {
                server.publish("rec:1", "host", String.valueOf(i));
            }
            List<JsonNode> before = messagesUpTo(first, 5);
            assertThat(before).hasSize(5);
            epoch = server.herald.position("rec:1").epoch();
        }
        // missed while away: plain, critical and keyed (two keys, each updated)
        for (int i = 6; i <= 35; i++) {
            String body = i % 10 == 0
                    ? "{\"channel\":\"rec:1\",\"event\":\"phase\",\"critical\":true,\"data\":" + i + "}"
                    : i % 3 == 0 ? "{\"channel\":\"rec:1\",\"event\":\"progress\",\"key\":\"p" + (i % 2) + "\",\"data\":" + i + "}"
                    : "{\"channel\":\"rec:1\",\"event\":\"host\",\"data\":" + i + "}";
            assertThat(server.post("/api/publish", body).status()).isEqualTo(200);
        }
        try (TestClient back = server.client("/ws")) {
            back.send("{\"type\":\"subscribe\",\"channel\":\"rec:1\",\"id\":1,\"since\":" + since(epoch, 5) + "}");
            JsonNode subscribed = back.expect("subscribed");
            assertThat(subscribed.path("recovered").asBoolean()).isTrue();
            assertThat(subscribed.path("epoch").asText()).isEqualTo(epoch);
            assertThat(subscribed.path("offset").asLong()).isEqualTo(35);
            server.publish("rec:1", "host", "36");
            List<Long> offsets = messagesUpTo(back, 36).stream().map(m -> m.path("offset").asLong()).toList();
            assertThat(offsets).isSorted().doesNotHaveDuplicates();
            List<Long> expected = new ArrayList<>();
            for (long o = 6; o <= 36; o++) {
                boolean keyed = o <= 35 && o % 10 != 0 && o % 3 == 0;
                if (!keyed) {
                    expected.add(o);
                }
            }
            // every plain and critical message; keyed values may be superseded, the latest of each key arrives
            assertThat(offsets).containsAll(expected);
            assertThat(offsets).contains(24L, 33L); // the last value of each key: p0 (24) and p1 (33)
            assertThat(offsets.stream().allMatch(o -> o > 5)).isTrue();
        }
    }

    @Test
    void aPlainWebSocketResumesWithThePositionInTheUrl() {
        for (int i = 1; i <= 3; i++) {
            server.publish("rec:2", "host", String.valueOf(i));
        }
        String epoch = server.herald.position("rec:2").epoch();
        try (TestClient c = server.client("/ws/rec:2?since=" + epoch + ":1")) {
            assertThat(c.expect("subscribed").path("recovered").asBoolean()).isTrue();
            assertThat(messagesUpTo(c, 3)).extracting(m -> m.path("offset").asLong()).containsExactly(2L, 3L);
        }
    }

    @Test
    void aPositionThatCannotBeRecoveredSaysSoAndTheSubscriptionIsLive() {
        for (int i = 1; i <= 30; i++) {
            server.publish("small:1", "host", String.valueOf(i));
        }
        String epoch = server.herald.position("small:1").epoch();
        String[] positions = {since("another-epoch", 3), since(epoch, 5) /* older than the 10 held */, since(epoch, 99) /* the future */};
        for (String position : positions) {
            try (TestClient c = server.client("/ws")) {
                c.send("{\"type\":\"subscribe\",\"channel\":\"small:1\",\"since\":" + position + "}");
                JsonNode subscribed = c.expect("subscribed");
                assertThat(subscribed.path("recovered").asBoolean()).as(position).isFalse();
                assertThat(subscribed.path("epoch").asText()).isEqualTo(epoch);
                long offset = subscribed.path("offset").asLong();
                long live = server.publish("small:1", "host", "\"live\"");
                assertThat(live).isEqualTo(offset + 1);
                assertThat(c.expect("message").path("offset").asLong()).as("live after %s", position).isEqualTo(live);
            }
        }
    }

    @Test
    void aMalformedPositionIsABadRequest() {
        try (TestClient c = server.client("/ws")) {
            c.send("{\"type\":\"subscribe\",\"channel\":\"rec:3\",\"id\":4,\"since\":\"yesterday\"}");
            JsonNode error = c.expect("error");
            assertThat(error.path("code").asText()).isEqualTo("bad_request");
            assertThat(error.path("id").asInt()).isEqualTo(4);
        }
        try (RawHttp raw = RawHttp.connect(server.port())) {
            RawHttp.Response r = raw.send("GET /ws/rec:3?since=garbage HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("bad_request");
        }
    }

    /**
     * The seam under fire: a publisher at full speed over the HTTP API while a client leaves and comes back with its position a thousand times; when it falls behind
     * and is told {@code lag}, it recovers what it skipped the same way (README: "Lag, recovered").
     * Over the whole run every message arrives exactly once, in order.
     */
    @Test
    void resubscribingWithThePositionUnderAFullSpeedPublisherLosesAndRepeatsNothing() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong published = new AtomicLong();
        Thread publisher = new Thread(() -> {
            while (!stop.get() && published.get() < 100_000) {
                server.publish("race:1", "tick", "null");
                published.incrementAndGet();
            }
        });
        try (TestClient c = server.subscriber("race:1")) {
            String epoch = server.herald.position("race:1").epoch();
            publisher.start();
            Reader reader = new Reader();
            for (int round = 0; round < 1000; round++) {
                c.send("{\"type\":\"unsubscribe\",\"channel\":\"race:1\"}");
                JsonNode f;
                while (!(f = c.next()).path("type").asText().equals("unsubscribed")) {
                    reader.read(f);
                }
                reader.lagged = false; // what was skipped comes back from history now
                c.send("{\"type\":\"subscribe\",\"channel\":\"race:1\",\"since\":" + since(epoch, reader.last) + "}");
                while (!(f = c.next()).path("type").asText().equals("subscribed")) {
                    reader.read(f);
                }
                assertThat(f.path("recovered").asBoolean()).as("round %d from %d", round, reader.last).isTrue();
            }
            stop.set(true);
            publisher.join();
            long end = server.herald.position("race:1").offset();
            while (reader.last < end) {
                JsonNode f = c.next();
                reader.read(f);
                if (reader.lagged && !reader.resubscribing) {
                    c.send("{\"type\":\"subscribe\",\"channel\":\"race:1\",\"since\":" + since(epoch, reader.last) + "}");
                    reader.resubscribing = true;
                }
            }
            assertThat(reader.last).isEqualTo(published.get());
            assertThat(reader.received).isEqualTo(published.get());
        } finally {
            stop.set(true);
            publisher.join();
        }
    }

    /**
     * A client away long enough to miss far more than the outbound buffer holds (8 KiB here, about
     * 100 messages) gets all of it when it comes back, oldest first, while a publisher goes on with
     * plain and critical messages: every offset once, in order, no {@code lag}.
     */
    @Test
    void aCatchUpLargerThanTheOutboundBufferArrivesWholeUnderALivePublisher() throws Exception {
        String epoch;
        try (TestClient first = server.subscriber("wide:1")) {
            server.publish("wide:1", "host", "1");
            assertThat(first.nextMessage().path("offset").asLong()).isEqualTo(1);
            epoch = server.herald.position("wide:1").epoch();
        }
        for (int i = 2; i <= 3000; i++) {
            server.herald.publish(io.herald.Message.builder("wide:1", i % 100 == 0 ? "phase" : "host")
                    .critical(i % 100 == 0).data(com.fasterxml.jackson.databind.node.IntNode.valueOf(i)).build()).join();
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong last = new AtomicLong(3000);
        Thread publisher = new Thread(() -> {
            for (int i = 3001; i <= 5000 && !stop.get(); i++) { // over HTTP, one after the other, as a backend would
                server.post("/api/publish", "{\"channel\":\"wide:1\",\"event\":\"" + (i % 100 == 0 ? "phase" : "host")
                        + "\",\"critical\":" + (i % 100 == 0) + ",\"data\":" + i + "}");
                last.set(i);
            }
        });
        try (TestClient back = server.client("/ws/wide:1?since=" + epoch + ":1")) {
            assertThat(back.expect("subscribed").path("recovered").asBoolean()).isTrue();
            publisher.start();
            List<Long> offsets = new ArrayList<>();
            for (long expected = 2; expected <= 5000; expected++) {
                offsets.add(back.nextMessage().path("offset").asLong()); // fails on a lag frame
            }
            List<Long> all = new ArrayList<>();
            for (long o = 2; o <= 5000; o++) {
                all.add(o);
            }
            assertThat(offsets).isEqualTo(all);
        } finally {
            stop.set(true);
            publisher.join();
        }
    }

    /** The same over SSE: a stream resumed with {@code since} gets a catch-up many times the buffer, whole. */
    @Test
    void anSseStreamResumedFarBackGetsTheWholeCatchUp() {
        for (int i = 1; i <= 2000; i++) {
            server.herald.publish("wide:2", "host", i).join();
        }
        String epoch = server.herald.position("wide:2").epoch();
        String since = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("wide:2=" + epoch + ":1").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (SseClient c = SseClient.open(server.port(), "/sse?channel=wide:2&since=" + since)) {
            assertThat(c.expect("subscribed").json().path("recovered").asBoolean()).isTrue();
            List<Long> offsets = new ArrayList<>();
            while (offsets.size() < 1999) {
                offsets.add(c.expect("message").json().path("offset").asLong()); // fails on a lag event
            }
            assertThat(offsets).isEqualTo(java.util.stream.LongStream.rangeClosed(2, 2000).boxed().toList());
        }
    }

    /** Checks offsets follow one by one; after a {@code lag}, ignores what follows until recovered. */
    private static final class Reader {
        long last;
        long received;
        boolean lagged;
        /** A subscribe with the position is under way: what comes before its answer is the old subscription's. */
        boolean resubscribing;

        void read(JsonNode frame) {
            String type = frame.path("type").asText();
            List<JsonNode> messages = new ArrayList<>();
            if (type.equals("message")) {
                messages.add(frame);
            } else if (type.equals("batch")) {
                frame.path("messages").forEach(messages::add);
            } else if (type.equals("lag")) {
                lagged = true;
                return;
            } else if (type.equals("subscribed")) {
                assertThat(frame.path("recovered").asBoolean()).as("recovered after a lag").isTrue();
                lagged = false;
                resubscribing = false;
                return;
            } else {
                throw new AssertionError("unexpected " + frame);
            }
            if (lagged) {
                return; // past a gap: the resubscribe brings these again
            }
            for (JsonNode m : messages) {
                long offset = m.path("offset").asLong();
                assertThat(offset).as("after %d", last).isEqualTo(last + 1);
                last = offset;
                received++;
            }
        }
    }

    @Test
    void theHistoryApiPagesThroughWhatTheChannelHolds() {
        for (int i = 1; i <= 25; i++) {
            server.publish("rec:h", "host", String.valueOf(i));
        }
        JsonNode page = server.get("/api/channels/rec:h/history?limit=10").json();
        assertThat(page.path("covered").asBoolean()).isTrue();
        assertThat(page.path("offset").asLong()).isEqualTo(25);
        assertThat(page.path("messages")).hasSize(10);
        assertThat(page.path("messages").get(0).path("offset").asLong()).isEqualTo(1);
        String next = page.path("next").asText();
        JsonNode second = server.get("/api/channels/rec:h/history?limit=10&since=" + next).json();
        assertThat(second.path("messages").get(0).path("offset").asLong()).isEqualTo(11);
        JsonNode fromOffset = server.get("/api/channels/rec:h/history?since=20").json();
        assertThat(fromOffset.path("messages")).extracting(m -> m.path("offset").asLong())
                .containsExactly(21L, 22L, 23L, 24L, 25L);
        assertThat(fromOffset.path("next").isNull()).isTrue();
        assertThat(server.get("/api/channels/rec:h/history?since=x:y").status()).isEqualTo(400);
        assertThat(server.get("/api/channels/rec:h/history?limit=0").status()).isEqualTo(400);
        assertThat(server.get("/api/channels/nobody:here/history").status()).isEqualTo(404);
        assertThat(server.request("GET", "/api/channels/rec:h/history", null).status()).isEqualTo(401);
    }
}
