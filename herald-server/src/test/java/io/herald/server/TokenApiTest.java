package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.server.internal.auth.TestKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code POST /api/tokens}: admin credentials trade for a token signed with the server's HS256 secret. */
class TokenApiTest {
    private static final String ADMIN_TOKEN = TestServer.token("ops", List.of(), List.of(), true, Duration.ofMinutes(5));

    @Test
    void anAdminKeyGetsATokenThatConnectsWithTheClaimsAskedFor() {
        try (TestServer server = TestServer.start(b -> b.auth(TestServer.AUTH.toBuilder().anonymous(false).build()))) {
            Instant before = Instant.now();
            TestServer.Response r = server.post("/api/tokens",
                    "{\"sub\":\"alice\",\"channels\":[\"scan:*\"],\"publish\":[\"scan:1\"],\"ttlSeconds\":120}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            Instant expires = Instant.parse(r.json().path("expiresAt").asText());
            assertThat(expires).isBetween(before.plusSeconds(118), before.plusSeconds(122));

            try (TestClient c = server.client("/ws?token=" + r.json().path("token").asText())) {
                c.send("{\"type\":\"subscribe\",\"channel\":\"scan:7\"}");
                assertThat(c.expect("subscribed").path("channel").asText()).isEqualTo("scan:7");
                c.send("{\"type\":\"subscribe\",\"channel\":\"other:1\"}");
                assertThat(c.expect("error").path("code").asText()).isEqualTo("forbidden");
                c.send("{\"type\":\"publish\",\"channel\":\"scan:1\",\"event\":\"e\",\"data\":{}}");
                assertThat(c.expect("published").path("offset").asLong()).isEqualTo(1);
            }
        }
    }

    @Test
    void anAdminTokenFromTheApiSubscribesToSystemChannelsAndCallsTheApi() {
        try (TestServer server = TestServer.start()) {
            JsonNode minted = server.post("/api/tokens", "{\"sub\":\"dashboard\",\"admin\":true}").json();
            String token = minted.path("token").asText();
            assertThat(Instant.parse(minted.path("expiresAt").asText()))
                    .isBetween(Instant.now().plusSeconds(3590), Instant.now().plusSeconds(3610)); // one hour by default
            TestServer.Response stats = server.request("GET", "/api/stats", null, "Authorization", "Bearer " + token);
            assertThat(stats.status()).isEqualTo(200);
            try (TestClient c = server.client("/ws?token=" + token)) {
                c.send("{\"type\":\"subscribe\",\"channel\":\"$herald:stats\"}");
                c.expect("subscribed");
            }
        }
    }

    @Test
    void onlyAdminCredentialsMayAsk() {
        try (TestServer server = TestServer.start()) {
            String body = "{\"sub\":\"x\",\"admin\":true}";
            assertThat(server.request("POST", "/api/tokens", body).status()).isEqualTo(401);
            assertThat(server.request("POST", "/api/tokens", body, "X-Api-Key", TestServer.PUBLISH_KEY).status()).isEqualTo(403);
            String user = TestServer.token("u", List.of("**"), List.of("**"), false, Duration.ofMinutes(5));
            assertThat(server.request("POST", "/api/tokens", body, "Authorization", "Bearer " + user).status()).isEqualTo(403);
            assertThat(server.request("POST", "/api/tokens", body, "Authorization", "Bearer " + ADMIN_TOKEN).status()).isEqualTo(200);
            assertThat(server.request("GET", "/api/tokens", null, "X-Api-Key", TestServer.ADMIN_KEY).status()).isEqualTo(405);
        }
    }

    @Test
    void refusesRequestsOutOfBoundsWithTheirReason() {
        try (TestServer server = TestServer.start()) {
            assertBadRequest(server, "{}", "'sub'");
            assertBadRequest(server, "{\"sub\":\"  \"}", "'sub'");
            assertBadRequest(server, "{\"sub\":\"" + "x".repeat(257) + "\"}", "'sub'");
            assertBadRequest(server, "{\"sub\":\"a\",\"ttlSeconds\":0}", "'ttlSeconds'");
            assertBadRequest(server, "{\"sub\":\"a\",\"ttlSeconds\":86401}", "'ttlSeconds'");
            assertBadRequest(server, "{\"sub\":\"a\",\"ttlSeconds\":1.5}", "'ttlSeconds'");
            assertBadRequest(server, "{\"sub\":\"a\",\"channels\":\"scan:*\"}", "'channels'");
            assertBadRequest(server, "{\"sub\":\"a\",\"channels\":[\"no spaces\"]}", "not a channel pattern");
            assertBadRequest(server, "{\"sub\":\"a\",\"publish\":[1]}", "publish[0]");
            assertBadRequest(server, "{\"sub\":\"a\",\"admin\":\"yes\"}", "'admin'");
            assertBadRequest(server, "{\"sub\":\"a\",\"expires\":1}", "unknown field 'expires'");
            assertBadRequest(server, "[]", "must be an object");
            assertBadRequest(server, "{", "malformed JSON");
        }
    }

    @Test
    void aServerThatOnlyVerifiesSaysItCannotSign() {
        AuthConfig rs256 = AuthConfig.newBuilder().jwtPublicKey(TestKeys.pem(TestKeys.RSA.getPublic()))
                .adminApiKeys(List.of(TestServer.ADMIN_KEY)).build();
        try (TestServer server = TestServer.start(b -> b.auth(rs256))) {
            assertBadRequest(server, "{\"sub\":\"a\"}", "verifies RS256 tokens with a public key and cannot sign");
        }
        AuthConfig noKey = AuthConfig.newBuilder().adminApiKeys(List.of(TestServer.ADMIN_KEY)).build();
        try (TestServer server = TestServer.start(b -> b.auth(noKey))) {
            assertBadRequest(server, "{\"sub\":\"a\"}", "has no JWT key");
        }
    }

    private static void assertBadRequest(TestServer server, String body, String message) {
        TestServer.Response r = server.post("/api/tokens", body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("bad_request");
        assertThat(r.json().path("error").path("message").asText()).contains(message);
    }
}
