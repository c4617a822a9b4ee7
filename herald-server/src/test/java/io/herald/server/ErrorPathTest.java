package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One error path (SPEC §5.3): every HTTP error, whoever answers it (the router, an engine's failed
 * future, Netty's codec or aggregator, the connection gate), is {@code {"error":{"code","message"}}}
 * with the status of its code.
 */
class ErrorPathTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.withEngine(new FailingEngine());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertError(int status, String code, String body, int actualStatus, String hint) {
        assertThat(actualStatus).as(body).isEqualTo(status);
        JsonNode error = new TestServer.Response(actualStatus, body).json().path("error");
        assertThat(error.path("code").asText()).as(body).isEqualTo(code);
        assertThat(error.path("message").asText()).as(body).contains(hint);
    }

    private static void assertError(TestServer.Response r, int status, String code, String hint) {
        assertError(status, code, r.body(), r.status(), hint);
    }

    private static void assertError(RawHttp.Response r, int status, String code, String hint) {
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertError(status, code, r.body(), r.status(), hint);
    }

    @Test
    void engineErrorThatArrivesLaterKeepsItsCode() {
        assertError(server.post("/api/publish", "{\"channel\":\"quota:1\",\"event\":\"e\"}"), 429, "rate_limited", "quota");
        assertError(server.post("/api/publish", "{\"channel\":\"down:1\",\"event\":\"e\"}"), 503, "unavailable",
                "engine unavailable: the broker is unreachable");
        assertThat(server.publish("fine:1", "e", "1")).isEqualTo(1);
    }

    /** A client's mistake is logged as bad input; what the server could not take (a 5xx) as a refusal, not the client's doing. */
    @Test
    void aServerSideRefusalIsNotLoggedAsTheClientsBadInput() {
        try (TestServer own = TestServer.withEngine(new FailingEngine());
                LogCapture logs = LogCapture.of("io.herald.server.BadInput")) {
            assertThat(own.post("/api/publish", "{\"channel\":\"down:1\",\"event\":\"e\"}").status()).isEqualTo(503);
            assertThat(own.post("/api/publish", "{\"channel\":\"quota:1\",\"event\":\"e\"}").status()).isEqualTo(429);
            List<String> lines = logs.events().stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("refused a request from").contains("(unavailable)"));
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("bad input from").contains("(rate_limited)"));
            assertThat(lines).noneSatisfy(l -> assertThat(l).startsWith("bad input from").contains("(unavailable)"));
        }
    }

    @Test
    void engineErrorInAnArrayOrABroadcastKeepsItsCode() {
        assertError(server.post("/api/publish", "[{\"channel\":\"fine:2\",\"event\":\"e\"},{\"channel\":\"quota:2\",\"event\":\"e\"}]"),
                429, "rate_limited", "quota");
        assertError(server.post("/api/broadcast", "{\"channels\":[\"fine:3\",\"down:3\"],\"event\":\"e\"}"),
                503, "unavailable", "engine unavailable");
    }

    /** An engine error that completes the publish future later keeps its code over WebSocket too. */
    @Test
    void engineErrorThatArrivesLaterKeepsItsCodeOverWebSocket() {
        String token = TestServer.token("pub", List.of("quota:*"), List.of("quota:*"), false, Duration.ofMinutes(5));
        try (TestClient c = server.client("/ws?token=" + token)) {
            c.send("{\"type\":\"publish\",\"id\":7,\"channel\":\"quota:ws\",\"event\":\"e\",\"data\":1}");
            JsonNode error = c.expect("error");
            assertThat(error.path("id").asInt()).isEqualTo(7);
            assertThat(error.path("code").asText()).isEqualTo("rate_limited");
            assertThat(error.path("message").asText()).contains("quota");
        }
    }

    @Test
    void unknownPathIsNotFoundBeforeAnyCredentialCheck() {
        assertError(server.request("POST", "/api/publsh", "{}"), 404, "not_found", "no such endpoint: POST /api/publsh");
        assertError(server.request("GET", "/api/nothing", null), 404, "not_found", "no such endpoint");
        assertError(server.request("GET", "/api/stats", null), 401, "unauthorized", "API key or admin token required");
        assertError(server.request("GET", "/api/stats", null, "X-Api-Key", TestServer.PUBLISH_KEY), 403, "forbidden", "");
    }

    @Test
    void wrongMethodOnAKnownPathIs405WithAllowBeforeAnyCredentialCheck() {
        assertError(server.request("GET", "/api/publish", null), 405, "method_not_allowed", "method GET not allowed; use POST");
        assertError(server.request("PUT", "/api/channels/a:1", "{}"), 405, "method_not_allowed", "use GET or DELETE");
        assertError(server.request("POST", "/api/channels", "{}"), 405, "method_not_allowed", "use GET");
        try (RawHttp http = RawHttp.connect(server.port())) {
            RawHttp.Response r = http.send("DELETE /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("POST");
            assertThat(r.json().path("error").path("code").asText()).isEqualTo("method_not_allowed");
            r = http.send("PATCH /api/channels/a:1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();
            assertThat(r.status()).as("the connection stays usable").isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("GET, DELETE");
        }
    }

    @Test
    void bodyOverMaxRequestSizeIsA413WithAJsonBody() {
        String big = "{\"channel\":\"a:1\",\"event\":\"e\",\"data\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        assertError(server.post("/api/publish", big), 413, "too_large", "limits.maxRequestSize");
    }

    @Test
    void bodyOverMaxRequestSizeAnnouncedWithExpectContinueIsA413WithAJsonBody() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send("POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: " + TestServer.ADMIN_KEY
                    + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n").read();
            assertError(r, 413, "too_large", "limits.maxRequestSize");
        }
    }

    @Test
    void bodyOverMaxRequestSizeOnAClosingConnectionIsA413WithAJsonBodyThenClosed() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send("POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Length: 5000000\r\n\r\n{\"channel\"").read();
            assertError(r, 413, "too_large", "limits.maxRequestSize");
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void headersOverMaxHeaderSizeAreA431WithAJsonBody() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n").read();
            assertError(r, 431, "too_large", "request headers too large");
        }
    }

    @Test
    void requestLineTooLongIsA414WithAJsonBody() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send("GET /health?" + "x".repeat(10_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read();
            assertError(r, 414, "too_large", "request line too long");
        }
    }

    @Test
    void malformedRequestIsA400WithAJsonBody() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send("GET /health HTTP/9.x\r\nHost: 127.0.0.1\r\n\r\n").read();
            assertError(r, 400, "bad_request", "malformed HTTP request");
        }
    }
}
