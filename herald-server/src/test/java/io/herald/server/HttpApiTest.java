package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC §5.3: publish (one or many), broadcast, health, and clear errors for everything else. */
class HttpApiTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void publishReturnsIncreasingOffsetsPerChannel() {
        assertThat(server.publish("api:a", "e", "1")).isEqualTo(1);
        assertThat(server.publish("api:a", "e", "2")).isEqualTo(2);
        assertThat(server.publish("api:b", "e", "1")).isEqualTo(1);
    }

    @Test
    void publishArrayReturnsEachOffsetInOrder() {
        try (TestClient c = server.subscriber("api:arr")) {
            TestServer.Response r = server.post("/api/publish", """
                    [{"channel":"api:arr","event":"a","data":1},
                     {"channel":"api:arr","event":"b","data":2,"key":"k","critical":true},
                     {"channel":"api:other","event":"c"}]""");
            assertThat(r.status()).isEqualTo(200);
            JsonNode results = r.json().get("results");
            assertThat(results).hasSize(3);
            assertThat(results.get(0).path("offset").asLong()).isEqualTo(1);
            assertThat(results.get(1).path("offset").asLong()).isEqualTo(2);
            assertThat(results.get(0).path("epoch").asText()).isNotEmpty()
                    .isEqualTo(results.get(1).path("epoch").asText())
                    .isEqualTo(server.herald.position("api:arr").epoch());
            assertThat(results.get(2).path("channel").asText()).isEqualTo("api:other");
            assertThat(c.expect("message").path("event").asText()).isEqualTo("a");
            JsonNode keyed = c.expect("message");
            assertThat(keyed.path("key").asText()).isEqualTo("k");
        }
    }

    @Test
    void invalidElementRejectsWholeArrayNamingIt() {
        TestServer.Response r = server.post("/api/publish", """
                [{"channel":"api:all","event":"a"},{"channel":"bad channel","event":"b"}]""");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("bad_request");
        assertThat(r.json().path("error").path("message").asText()).startsWith("[1]");
        assertThat(server.herald.position("api:all").offset()).isZero();
    }

    @Test
    void broadcastPublishesToEveryChannel() {
        try (TestClient a = server.subscriber("room:1"); TestClient b = server.subscriber("room:2")) {
            TestServer.Response r = server.post("/api/broadcast",
                    "{\"channels\":[\"room:1\",\"room:2\"],\"event\":\"notice\",\"data\":{\"text\":\"maintenance\"}}");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("results")).hasSize(2);
            assertThat(a.expect("message").path("channel").asText()).isEqualTo("room:1");
            assertThat(b.expect("message").path("data").path("text").asText()).isEqualTo("maintenance");
        }
    }

    @Test
    void healthReportsEngineAndConnections() {
        try (TestClient c = server.client("/ws")) {
            TestServer.Response r = server.get("/health");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("status").asText()).isEqualTo("ok");
            assertThat(r.json().path("engine").path("type").asText()).isEqualTo("memory");
            assertThat(r.json().path("engine").path("up").asBoolean()).isTrue();
            assertThat(r.json().path("connections").path("active").asInt()).isPositive();
        }
    }

    @ParameterizedTest(name = "{0} {1} -> {3} {4}")
    @CsvSource(delimiter = '|', textBlock = """
            POST | /api/publish   | {not json                                   | 400 | bad_request
            POST | /api/publish   | 42                                          | 400 | bad_request
            POST | /api/publish   | []                                          | 400 | bad_request
            POST | /api/publish   | {"event":"e"}                               | 400 | bad_request
            POST | /api/publish   | {"channel":"a:1"}                           | 400 | bad_request
            POST | /api/publish   | {"channel":"a b","event":"e"}               | 400 | bad_request
            POST | /api/publish   | {"channel":"a:1","event":"e","critcal":true} | 400 | bad_request
            POST | /api/publish   | {"channel":"a:1","event":"e","critical":"yes"} | 400 | bad_request
            POST | /api/publish   | {"channel":"a:1","event":"e"} trailing      | 400 | bad_request
            POST | /api/broadcast | {"channels":[],"event":"e"}                 | 400 | bad_request
            POST | /api/broadcast | {"channels":[1],"event":"e"}                | 400 | bad_request
            POST | /api/nothing   | {}                                          | 404 | not_found
            GET  | /api/publish   |                                             | 405 | method_not_allowed
            GET  | /ws            |                                             | 400 | bad_request
            """)
    void badRequestsGetJsonErrors(String method, String path, String body, int status, String code) {
        TestServer.Response r = method.equals("GET") ? server.get(path) : server.post(path, body == null ? "" : body);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo(code);
        assertThat(r.json().path("error").path("message").asText()).isNotBlank();
    }

    @Test
    void emptyBodyIsABadRequest() {
        TestServer.Response r = server.post("/api/publish", "");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("message").asText()).contains("empty");
    }

    @Test
    void oversizedBodyIsRefused() {
        String big = "{\"channel\":\"a:1\",\"event\":\"e\",\"data\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        TestServer.Response r = server.post("/api/publish", big);
        assertThat(r.status()).isEqualTo(413);
    }
}
