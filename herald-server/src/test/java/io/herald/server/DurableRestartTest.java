package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable history across a restart of the server (issue 12, SPEC §6), in a process of its own:
 * {@code herald serve} with {@code history.store: disk} is stopped, gracefully (SIGTERM) or with
 * {@code kill -9}, right after its last publish was answered, and started again on the same data
 * directory; clients that come back with the position they had (the {@code subscribe} frame's
 * {@code since}, {@code /ws/{channel}?since=}, SSE's {@code Last-Event-ID}) are told
 * {@code recovered: true} and get exactly the messages they missed, in order, nothing twice, then
 * the live stream in the same epoch. An answered publish is durable (the answer waits for the
 * group commit and its sync), so a {@code kill -9} loses none of them. A memory store, restarted,
 * answers {@code recovered: false} with a new epoch.
 */
class DurableRestartTest {
    private static final String CHANNEL = "dur:1";

    @TempDir
    Path work;

    private HeraldProcess startDisk() {
        return HeraldProcess.start(work, "history.store=disk", "history.dir=" + work.resolve("data"),
                "history.flushInterval=50ms");
    }

    /** Where a client stands after it read the first messages: its epoch and last offset. */
    private record Position(String epoch, long offset) {
        String since() {
            return "{\"epoch\":\"" + epoch + "\",\"offset\":" + offset + "}";
        }

        String lastEventId() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((CHANNEL + "=" + epoch + ":" + offset).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A client subscribes, reads three messages, keeps its position and goes. */
    private static Position readSomeAndLeave(HeraldProcess herald) {
        try (TestClient c = herald.client("/ws")) {
            c.send("{\"type\":\"subscribe\",\"channel\":\"" + CHANNEL + "\"}");
            JsonNode subscribed = c.expect("subscribed");
            for (int i = 1; i <= 3; i++) {
                herald.publish("{\"channel\":\"" + CHANNEL + "\",\"event\":\"host\",\"data\":{\"n\":" + i + "}}");
            }
            long last = 0;
            while (last < 3) {
                JsonNode m = c.nextMessage();
                assertThat(m.path("offset").asLong()).isEqualTo(last + 1);
                last = m.path("offset").asLong();
            }
            return new Position(subscribed.path("epoch").asText(), last);
        }
    }

    /**
     * Publishes, while nobody listens, plain, keyed (each key once: a key's newer value supersedes an
     * older one in a catch-up, by design) and critical messages; returns their offsets as answered.
     */
    private static List<Long> publishWhileAway(HeraldProcess herald, String epoch) {
        List<Long> offsets = new ArrayList<>();
        for (int i = 4; i <= 15; i++) {
            String body = i % 4 == 0 ? "{\"channel\":\"" + CHANNEL + "\",\"event\":\"phase\",\"critical\":true,\"data\":" + i + "}"
                    : i % 3 == 0 ? "{\"channel\":\"" + CHANNEL + "\",\"event\":\"progress\",\"key\":\"p" + i + "\",\"data\":{\"pct\":" + i + "}}"
                    : "{\"channel\":\"" + CHANNEL + "\",\"event\":\"host\",\"data\":{\"n\":" + i + ",\"name\":\"é ✓\"}}";
            JsonNode answer = herald.publish(body);
            assertThat(answer.path("epoch").asText()).isEqualTo(epoch);
            offsets.add(answer.path("offset").asLong());
        }
        assertThat(offsets).containsExactlyElementsOf(range(4, 15));
        return offsets;
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long o = from; o <= to; o++) {
            out.add(o);
        }
        return out;
    }

    /** The messages that arrive until offset {@code last}: each checked against what was published at it. */
    private static List<Long> caughtUp(TestClient c, long last) {
        List<Long> got = new ArrayList<>();
        while (got.isEmpty() || got.get(got.size() - 1) < last) {
            JsonNode m = c.nextMessage();
            checkContent(m);
            got.add(m.path("offset").asLong());
        }
        return got;
    }

    private static void checkContent(JsonNode m) {
        long o = m.path("offset").asLong();
        assertThat(m.path("channel").asText()).isEqualTo(CHANNEL);
        if (o % 4 == 0) {
            assertThat(m.path("event").asText()).isEqualTo("phase");
            assertThat(m.path("data").asLong()).isEqualTo(o);
        } else if (o % 3 == 0) {
            assertThat(m.path("key").asText()).isEqualTo("p" + o);
            assertThat(m.path("data").path("pct").asLong()).isEqualTo(o);
        } else {
            assertThat(m.path("event").asText()).isEqualTo("host");
            assertThat(m.path("data").path("name").asText()).isEqualTo("é ✓");
        }
    }

    /**
     * After the restart: the three ways back each recover exactly {@code missed}, then one live
     * message arrives once, in the same epoch, after {@code missed}.
     */
    private static void everyClientRecovers(HeraldProcess herald, Position at, List<Long> missed) {
        long last = missed.get(missed.size() - 1);
        try (TestClient viaFrame = herald.client("/ws");
                TestClient viaUrl = TestClient.connect(herald.port(), "/ws/" + CHANNEL + "?since=" + at.epoch() + ":" + at.offset());
                SseClient viaSse = SseClient.open(herald.port(), "/sse?channel=" + CHANNEL, "Last-Event-ID", at.lastEventId())) {
            viaFrame.send("{\"type\":\"subscribe\",\"channel\":\"" + CHANNEL + "\",\"id\":1,\"since\":" + at.since() + "}");
            JsonNode s1 = viaFrame.expect("subscribed");
            viaUrl.expect("welcome");
            JsonNode s2 = viaUrl.expect("subscribed");
            assertThat(viaSse.status).as(viaSse.body).isEqualTo(200);
            JsonNode s3 = viaSse.expect("subscribed").json();
            for (JsonNode s : List.of(s1, s2, s3)) {
                assertThat(s.path("recovered").asBoolean()).as("%s", s).isTrue();
                assertThat(s.path("epoch").asText()).as("%s", s).isEqualTo(at.epoch());
                assertThat(s.path("offset").asLong()).as("%s", s).isGreaterThanOrEqualTo(last);
            }
            assertThat(caughtUp(viaFrame, last)).as("subscribe frame with since").containsExactlyElementsOf(missed);
            assertThat(caughtUp(viaUrl, last)).as("/ws/{channel}?since=").containsExactlyElementsOf(missed);
            List<Long> sse = new ArrayList<>();
            while (sse.isEmpty() || sse.get(sse.size() - 1) < last) {
                JsonNode m = viaSse.expect("message").json();
                checkContent(m);
                sse.add(m.path("offset").asLong());
            }
            assertThat(sse).as("SSE with Last-Event-ID").containsExactlyElementsOf(missed);

            JsonNode live = herald.publish("{\"channel\":\"" + CHANNEL + "\",\"event\":\"host\",\"data\":{\"n\":0,\"name\":\"é ✓\"}}");
            assertThat(live.path("epoch").asText()).isEqualTo(at.epoch());
            long next = live.path("offset").asLong();
            assertThat(next).isGreaterThan(last);
            assertThat(viaFrame.nextMessage().path("offset").asLong()).isEqualTo(next);
            assertThat(viaUrl.nextMessage().path("offset").asLong()).isEqualTo(next);
            assertThat(viaSse.expect("message").json().path("offset").asLong()).isEqualTo(next);
            viaFrame.expectNothing(Duration.ofMillis(200));
            viaUrl.expectNothing(Duration.ofMillis(100));
            viaSse.expectNothing(Duration.ofMillis(100));
        }
    }

    @Test
    void afterAGracefulStopClientsRecoverExactlyWhatTheyMissed() {
        Position at;
        List<Long> missed;
        try (HeraldProcess first = startDisk()) {
            at = readSomeAndLeave(first);
            missed = publishWhileAway(first, at.epoch());
            assertThat(first.terminate()).as("exit status after SIGTERM\n%s", first.output()).isEqualTo(143);
            assertThat(first.output()).contains("history store: disk");
        }
        try (HeraldProcess again = startDisk()) {
            JsonNode channel = again.get("/api/channels/" + CHANNEL);
            assertThat(channel.path("epoch").asText()).isEqualTo(at.epoch());
            assertThat(channel.path("offset").asLong()).as("a graceful stop leaves no gap").isEqualTo(15);
            assertThat(channel.path("history").path("messages").asLong()).isEqualTo(15);
            assertThat(channel.path("history").path("first_offset").asLong()).isEqualTo(1);
            assertThat(channel.path("history").path("last_offset").asLong()).isEqualTo(15);
            JsonNode page = again.get("/api/channels/" + CHANNEL + "/history?since=" + at.epoch() + ":" + at.offset());
            assertThat(page.path("covered").asBoolean()).isTrue();
            assertThat(page.path("messages").findValuesAsText("offset")).containsExactlyElementsOf(
                    missed.stream().map(String::valueOf).toList());
            everyClientRecovers(again, at, missed);
        }
    }

    @Test
    void afterKillNineRightAfterTheLastAnswerClientsRecoverEveryAnsweredMessage() throws Exception {
        Position at;
        List<Long> missed;
        try (HeraldProcess first = startDisk()) {
            at = readSomeAndLeave(first);
            missed = publishWhileAway(first, at.epoch());
            // no wait: an answered publish was committed and synced before its answer was sent
            assertThat(first.kill()).as("exit status after SIGKILL").isEqualTo(137);
        }
        assertThat(Files.exists(work.resolve("data").resolve("history.mv.db"))).isTrue();
        try (HeraldProcess again = startDisk()) {
            JsonNode channel = again.get("/api/channels/" + CHANNEL);
            assertThat(channel.path("epoch").asText()).isEqualTo(at.epoch());
            assertThat(channel.path("history").path("last_offset").asLong()).as("every answered publish").isEqualTo(15);
            everyClientRecovers(again, at, missed);
        }
    }

    @Test
    void aRestartedMemoryStoreAnswersRecoveredFalseWithANewEpoch() {
        Position at;
        try (HeraldProcess first = HeraldProcess.start(work)) {
            at = readSomeAndLeave(first);
            assertThat(first.terminate()).isEqualTo(143);
            assertThat(first.output()).contains("history store: memory");
        }
        try (HeraldProcess again = HeraldProcess.start(work);
                TestClient back = again.client("/ws")) {
            back.send("{\"type\":\"subscribe\",\"channel\":\"" + CHANNEL + "\",\"since\":" + at.since() + "}");
            JsonNode s = back.expect("subscribed");
            assertThat(s.path("recovered").asBoolean()).isFalse();
            assertThat(s.path("epoch").asText()).isNotEmpty().isNotEqualTo(at.epoch());
            assertThat(s.path("offset").asLong()).isZero();
            JsonNode live = again.publish("{\"channel\":\"" + CHANNEL + "\",\"event\":\"host\",\"data\":{}}");
            assertThat(live.path("offset").asLong()).isEqualTo(1);
            assertThat(back.nextMessage().path("offset").asLong()).isEqualTo(1);
        }
    }
}
