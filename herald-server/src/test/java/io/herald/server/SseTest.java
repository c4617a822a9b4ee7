package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.HeraldConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC §5.2 over real sockets: an SSE stream of several channels, resumed by one
 * {@code Last-Event-ID}; refusals before the stream; heartbeat, shutdown and the connection limits.
 */
class SseTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.heartbeatInterval(Duration.ofMillis(100)).heartbeatTimeout(Duration.ofMillis(500))
                .auth(TestServer.AUTH.toBuilder().allowedOrigins(List.of("https://app.example")).build()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SseClient open(String query, String... headers) {
        return SseClient.open(server.port(), "/sse?" + query, headers);
    }

    private static String id(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The messages that come until {@code n} arrived, other events failing the test. */
    private static List<JsonNode> messages(SseClient c, int n) {
        List<JsonNode> out = new ArrayList<>();
        while (out.size() < n) {
            SseClient.Event e = c.expect("message");
            assertThat(e.id()).isNotNull();
            out.add(e.json());
        }
        return out;
    }

    private static List<String> summary(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("channel").asText() + "@" + m.path("offset").asLong() + "="
                + m.path("data").asText()).toList();
    }

    @Test
    void messagesOfTwoChannelsArriveAndOneLastEventIdResumesBoth() {
        String lastId;
        try (SseClient c = open("channel=sse:a&channel=sse:b")) {
            assertThat(c.status).isEqualTo(200);
            assertThat(c.headers.get("content-type")).startsWith("text/event-stream");
            assertThat(c.headers.get("cache-control")).isEqualTo("no-cache");
            assertThat(c.headers.get("x-accel-buffering")).isEqualTo("no");
            assertThat(c.nextAny(TestClient.TIMEOUT).event()).isEqualTo("retry");
            JsonNode a = c.expect("subscribed").json();
            JsonNode b = c.expect("subscribed").json();
            assertThat(List.of(a.path("channel").asText(), b.path("channel").asText())).containsExactly("sse:a", "sse:b");
            assertThat(a.path("recovered").asBoolean()).isFalse();
            server.publish("sse:a", "e", "\"a1\"");
            server.publish("sse:b", "e", "\"b1\"");
            server.publish("sse:a", "e", "\"a2\"");
            List<JsonNode> got = new ArrayList<>();
            SseClient.Event last = null;
            while (got.size() < 3) {
                last = c.expect("message");
                got.add(last.json());
            }
            // in order per channel (channels are independent streams)
            assertThat(summary(got)).containsExactlyInAnyOrder("sse:a@1=a1", "sse:b@1=b1", "sse:a@2=a2");
            assertThat(summary(got)).containsSubsequence("sse:a@1=a1", "sse:a@2=a2");
            assertThat(got.get(0).path("type").asText()).isEqualTo("message");
            assertThat(got.get(0).path("event").asText()).isEqualTo("e");
            assertThat(got.get(0).has("ts")).isTrue();
            lastId = last.id();
            String decoded = new String(Base64.getUrlDecoder().decode(lastId), StandardCharsets.UTF_8);
            // the last id holds both channels' positions, whichever channel's message came last
            assertThat(decoded).matches("sse:a=[0-9a-z]+:2;sse:b=[0-9a-z]+:1");
        }
        // missed while away
        server.publish("sse:b", "e", "\"b2\"");
        server.publish("sse:a", "e", "\"a3\"");
        server.publish("sse:b", "e", "\"b3\"");
        try (SseClient back = open("channel=sse:a&channel=sse:b", "Last-Event-ID", lastId)) {
            assertThat(back.status).isEqualTo(200);
            // each channel's answer, then what it missed (the channels interleave)
            List<String> answered = new ArrayList<>();
            List<JsonNode> got = new ArrayList<>();
            while (answered.size() < 2 || got.size() < 3) {
                SseClient.Event e = back.next();
                JsonNode j = e.json();
                if (e.event().equals("subscribed")) {
                    assertThat(j.path("recovered").asBoolean()).as(j.toString()).isTrue();
                    answered.add(j.path("channel").asText());
                } else {
                    assertThat(e.event()).isEqualTo("message");
                    assertThat(answered).contains(j.path("channel").asText());
                    got.add(j);
                }
            }
            assertThat(summary(got.stream().filter(m -> m.path("channel").asText().equals("sse:a")).toList()))
                    .containsExactly("sse:a@3=a3");
            assertThat(summary(got.stream().filter(m -> m.path("channel").asText().equals("sse:b")).toList()))
                    .containsExactly("sse:b@2=b2", "sse:b@3=b3");
            server.publish("sse:a", "e", "\"a4\"");
            assertThat(summary(messages(back, 1))).containsExactly("sse:a@4=a4"); // live, nothing twice before it
            back.expectNothing(Duration.ofMillis(200));
        }
    }

    @Test
    void sinceInTheUrlResumesAndAStaleEpochIsNotRecovered() {
        server.publish("sse:c", "e", "1");
        server.publish("sse:c", "e", "2");
        String epoch = server.herald.position("sse:c").epoch();
        try (SseClient c = open("channel=sse:c&since=" + id("sse:c=" + epoch + ":1"))) {
            JsonNode s = c.expect("subscribed").json();
            assertThat(s.path("recovered").asBoolean()).isTrue();
            assertThat(summary(messages(c, 1))).containsExactly("sse:c@2=2");
        }
        try (SseClient c = open("channel=sse:c", "Last-Event-ID", id("sse:c=gone:1;other:x=e:3"))) {
            SseClient.Event e = c.expect("subscribed");
            assertThat(e.json().path("recovered").asBoolean()).isFalse();
            assertThat(e.json().path("offset").asLong()).isEqualTo(2);
            // the id now says where the client stands: the current position
            assertThat(new String(Base64.getUrlDecoder().decode(e.id()), StandardCharsets.UTF_8))
                    .isEqualTo("sse:c=" + epoch + ":2");
        }
    }

    @Test
    void badRequestsAreRefusedBeforeTheStream() {
        for (String query : List.of("channel=sse:a&since=%%%", "channel=sse:a&since=" + id("sse:a=e:-1"),
                "channel=sse:a&since=" + id("sse:a=e"), "channel=sse:a&since=" + id("bad name=e:1"), "",
                "channel=" + URLEncoder.encode("no spaces", StandardCharsets.UTF_8))) {
            try (SseClient c = open(query)) {
                assertThat(c.status).as(query).isEqualTo(400);
                assertThat(c.bodyJson().path("error").path("code").asText()).isEqualTo("bad_request");
            }
        }
        try (SseClient c = open("channel=sse:a", "Last-Event-ID", "not an id!")) {
            assertThat(c.status).isEqualTo(400);
        }
    }

    @Test
    void tokensAndPermissionsAreCheckedBeforeTheStream() {
        try (TestServer closed = TestServer.start(b -> b.auth(TestServer.AUTH.toBuilder().anonymous(false).build()))) {
            try (SseClient c = SseClient.open(closed.port(), "/sse?channel=sse:a")) {
                assertThat(c.status).isEqualTo(401);
                assertThat(c.bodyJson().path("error").path("code").asText()).isEqualTo("unauthorized");
            }
            String token = TestServer.token("u1", List.of("sse:*"), List.of(), false, Duration.ofMinutes(5));
            try (SseClient c = SseClient.open(closed.port(), "/sse?channel=sse:a&channel=other&token=" + token)) {
                assertThat(c.status).isEqualTo(403);
                assertThat(c.bodyJson().path("error").path("code").asText()).isEqualTo("forbidden");
            }
            try (SseClient c = SseClient.open(closed.port(), "/sse?channel=sse:a&token=bad.token.here")) {
                assertThat(c.status).isEqualTo(401);
            }
            try (SseClient c = SseClient.open(closed.port(), "/sse?channel=sse:a", "Authorization", "Bearer " + token)) {
                assertThat(c.status).isEqualTo(200);
                assertThat(c.expect("subscribed").json().path("channel").asText()).isEqualTo("sse:a");
            }
        }
    }

    @Test
    void aSilentReaderGetsPingsAndIsNotTimedOut() {
        try (SseClient c = open("channel=sse:quiet")) {
            c.expect("subscribed");
            int pings = 0;
            long end = System.nanoTime() + Duration.ofMillis(1500).toNanos(); // three heartbeat timeouts
            while (System.nanoTime() < end) {
                SseClient.Event e = c.nextAny(TestClient.TIMEOUT);
                assertThat(e.event()).as(e.toString()).isEqualTo("comment");
                assertThat(e.data()).isEqualTo("ping");
                pings++;
            }
            assertThat(pings).isGreaterThanOrEqualTo(5);
            server.publish("sse:quiet", "e", "1");
            assertThat(summary(messages(c, 1))).containsExactly("sse:quiet@1=1");
        }
    }

    @Test
    void streamsAreCountedAndAnAllowedOriginMayReadThem() {
        try (SseClient c = open("channel=sse:count", "Origin", "https://app.example", "User-Agent", "sse-test")) {
            assertThat(c.headers.get("access-control-allow-origin")).isEqualTo("https://app.example");
            c.expect("subscribed");
            JsonNode conns = server.get("/api/connections").json();
            JsonNode mine = null;
            for (JsonNode x : conns.path("connections")) {
                if (x.path("user_agent").asText().equals("sse-test")) {
                    mine = x;
                }
            }
            assertThat(mine).as(conns.toString()).isNotNull();
            assertThat(mine.path("state").asText()).isEqualTo("connected");
            assertThat(mine.path("subscriptions").toString()).contains("sse:count");
        }
        try (SseClient c = open("channel=sse:count", "Origin", "https://evil.example")) {
            assertThat(c.status).isEqualTo(403);
        }
    }

    @Test
    void aUserOverItsConnectionLimitIsRefused() {
        try (TestServer limited = TestServer.start(b -> b.maxConnectionsPerUser(1))) {
            String token = TestServer.token("u2", List.of("sse:*"), List.of(), false, Duration.ofMinutes(5));
            try (SseClient first = SseClient.open(limited.port(), "/sse?channel=sse:a&token=" + token)) {
                assertThat(first.status).isEqualTo(200);
                first.expect("subscribed");
                try (SseClient second = SseClient.open(limited.port(), "/sse?channel=sse:a&token=" + token)) {
                    assertThat(second.status).isEqualTo(429);
                    assertThat(second.bodyJson().path("error").path("code").asText()).isEqualTo("rate_limited");
                }
            }
        }
    }

    @Test
    void aShutdownSendsTheShutdownEventThenCloses() {
        TestServer s = TestServer.start(b -> b.reconnectAfter(Duration.ofMillis(700)).reconnectJitter(Duration.ZERO));
        try (SseClient c = SseClient.open(s.port(), "/sse?channel=sse:bye")) {
            c.expect("subscribed");
            Thread closer = new Thread(s::close);
            closer.start();
            SseClient.Event retry;
            do {
                retry = c.nextAny(TestClient.TIMEOUT);
            } while (retry.event().equals("comment"));
            assertThat(retry.event()).isEqualTo("retry");
            assertThat(retry.data()).isEqualTo("700");
            assertThat(c.expect("shutdown").json().path("reconnectAfterMs").asLong()).isEqualTo(700);
            JsonNode close = c.expect("close").json();
            assertThat(close.path("code").asInt()).isEqualTo(1001);
            assertThat(c.next().event()).isEqualTo("end-of-stream");
        }
    }
}
