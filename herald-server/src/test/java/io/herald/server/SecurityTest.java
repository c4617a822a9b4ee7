package io.herald.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.herald.CloseCodes;
import io.herald.HeraldConfig;
import io.herald.server.internal.auth.TestKeys;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC §8 over real sockets with hostile inputs. Each case asserts the exact answer, and a
 * well-behaved client on the same server keeps receiving.
 */
class SecurityTest {
    private static final String ISSUER = "https://id.example";
    private static final String AUDIENCE = "herald";
    private static TestServer rsServer;
    private static TestServer esServer;
    private TestClient bystander;
    private long bystanderOffset;

    private static AuthConfig auth(KeyPair key) {
        return AuthConfig.newBuilder().jwtPublicKey(TestKeys.pem(key.getPublic())).issuer(ISSUER).audience(AUDIENCE)
                .adminApiKeys(List.of(TestServer.ADMIN_KEY)).publishApiKeys(List.of(TestServer.PUBLISH_KEY))
                .allowedOrigins(List.of("https://app.example")).connectTimeout(Duration.ofMillis(500)).build();
    }

    @BeforeAll
    static void start() {
        rsServer = TestServer.start(b -> b.auth(auth(TestKeys.RSA)), HeraldConfig.DEFAULTS);
        esServer = TestServer.start(b -> b.auth(auth(TestKeys.EC)), HeraldConfig.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        rsServer.close();
        esServer.close();
    }

    private static JWTClaimsSet.Builder claims(String sub) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(sub).issuer(ISSUER).audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("channels", List.of("scan:*")).claim("publish", List.of("scan:1"));
    }

    private static String rs256(KeyPair key, JWTClaimsSet.Builder c) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), c.build());
            jwt.sign(new RSASSASigner((RSAPrivateKey) key.getPrivate()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String es256(KeyPair key, JWTClaimsSet.Builder c) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), c.build());
            jwt.sign(new ECDSASigner((ECPrivateKey) key.getPrivate()));
            return jwt.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String hs256WithSecret(byte[] secret, JWTClaimsSet.Builder c) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), c.build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String zeroSignature(String token) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
    }

    static Stream<Arguments> refusedTokens() {
        return Stream.of(
                Arguments.of("garbage", "rs", "not-a-token"),
                Arguments.of("three dots of nothing", "rs", "a.b.c"),
                Arguments.of("alg none", "rs", new PlainJWT(claims("alice").build()).serialize()),
                Arguments.of("RS256 public key used as HS256 secret", "rs",
                        hs256WithSecret(TestKeys.pem(TestKeys.RSA.getPublic()).getBytes(UTF_8), claims("alice"))),
                Arguments.of("signed by another key", "rs", rs256(TestKeys.OTHER_RSA, claims("alice"))),
                Arguments.of("expired", "rs", rs256(TestKeys.RSA, claims("alice")
                        .expirationTime(Date.from(Instant.now().minusSeconds(120))))),
                Arguments.of("not yet valid", "rs", rs256(TestKeys.RSA, claims("alice")
                        .notBeforeTime(Date.from(Instant.now().plusSeconds(600))))),
                Arguments.of("wrong audience", "rs", rs256(TestKeys.RSA, claims("alice").audience("other"))),
                Arguments.of("wrong issuer", "rs", rs256(TestKeys.RSA, claims("alice").issuer("https://evil.example"))),
                Arguments.of("no sub", "rs", rs256(TestKeys.RSA, claims("alice").subject(null))),
                Arguments.of("ECDSA signature of zeros", "es", zeroSignature(es256(TestKeys.EC, claims("alice")))),
                Arguments.of("ES256 by another key", "es", es256(TestKeys.OTHER_EC, claims("alice"))));
    }

    @BeforeEach
    void bystander() {
        bystander = TestClient.connect(rsServer.port(), "/ws/scan:bystander?token=" + rs256(TestKeys.RSA, claims("bob")),
                new DefaultHttpHeaders(), false);
        bystander.expect("welcome");
        bystander.expect("subscribed");
    }

    @AfterEach
    void bystanderStillReceives() {
        long offset = rsServer.publish("scan:bystander", "check", "1");
        assertThat(bystander.expect("message").path("offset").asLong()).isEqualTo(offset);
        bystander.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void badTokenInTheUrlClosesWith4001(String name, String server, String token) {
        TestServer s = server.equals("rs") ? rsServer : esServer;
        try (TestClient c = TestClient.connect(s.port(), "/ws/scan:1?token=" + token, new DefaultHttpHeaders(), false)) {
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.UNAUTHORIZED);
            assertThat(c.closeReason()).isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void badTokenInTheConnectFrameClosesWith4001(String name, String server, String token) {
        TestServer s = server.equals("rs") ? rsServer : esServer;
        try (TestClient c = TestClient.connect(s.port(), "/ws")) {
            c.send("{\"type\":\"connect\",\"token\":\"" + token + "\"}");
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.UNAUTHORIZED);
        }
    }

    @Test
    void noTokenClosesAfterTheConnectTimeout() {
        try (TestClient c = TestClient.connect(rsServer.port(), "/ws")) {
            c.send("{\"type\":\"subscribe\",\"channel\":\"scan:1\"}");
            assertThat(c.expect("error").path("code").asText()).isEqualTo("unauthorized");
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.UNAUTHORIZED);
        }
    }

    @Test
    void connectFrameWithAValidTokenIsWelcomed() {
        try (TestClient c = TestClient.connect(rsServer.port(), "/ws")) {
            c.send("{\"type\":\"connect\",\"id\":1,\"token\":\"" + rs256(TestKeys.RSA, claims("alice")) + "\"}");
            assertThat(c.expect("welcome").path("id").asInt()).isEqualTo(1);
            c.send("{\"type\":\"subscribe\",\"channel\":\"scan:7\"}");
            c.expect("subscribed");
        }
    }

    @Test
    void bearerHeaderAuthenticatesTheUpgrade() {
        DefaultHttpHeaders h = new DefaultHttpHeaders();
        h.set("Authorization", "Bearer " + es256(TestKeys.EC, claims("alice")));
        try (TestClient c = TestClient.connect(esServer.port(), "/ws/scan:3", h, false)) {
            c.expect("welcome");
            c.expect("subscribed");
        }
    }

    @Test
    void permissionsComeFromTheClaims() {
        String token = rs256(TestKeys.RSA, claims("alice"));
        try (TestClient c = TestClient.connect(rsServer.port(), "/ws?token=" + token, new DefaultHttpHeaders(), false)) {
            c.expect("welcome");
            c.send("{\"type\":\"subscribe\",\"id\":1,\"channel\":\"other:1\"}");
            assertThat(c.expect("error").path("code").asText()).isEqualTo("forbidden");
            c.send("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"user:bob\"}");
            assertThat(c.expect("error").path("code").asText()).isEqualTo("forbidden");
            c.send("{\"type\":\"subscribe\",\"id\":3,\"channel\":\"user:alice\"}");
            assertThat(c.expect("subscribed").path("channel").asText()).isEqualTo("user:alice");
            c.send("{\"type\":\"publish\",\"id\":4,\"channel\":\"scan:2\",\"event\":\"e\"}");
            assertThat(c.expect("error").path("code").asText()).isEqualTo("forbidden");
            c.send("{\"type\":\"publish\",\"id\":5,\"channel\":\"scan:1\",\"event\":\"e\"}");
            assertThat(c.expect("published").path("id").asInt()).isEqualTo(5);
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void tokenThatExpiresWhileConnectedClosesWith4001() {
        String token = rs256(TestKeys.RSA, claims("alice").expirationTime(Date.from(Instant.now().plusMillis(1500))));
        try (TestClient c = TestClient.connect(rsServer.port(), "/ws?token=" + token, new DefaultHttpHeaders(), false)) {
            c.expect("welcome");
            assertThat(c.awaitClose()).isEqualTo(CloseCodes.UNAUTHORIZED);
            assertThat(c.closeReason()).contains("expired");
        }
    }

    static Stream<Arguments> origins() {
        return Stream.of(
                Arguments.of("https://app.example", true),
                Arguments.of("https://evil.example", false),
                Arguments.of("https://app.example.evil.example", false),
                Arguments.of("https://evilapp.example", false),
                Arguments.of("http://app.example", false),
                Arguments.of("null", false));
    }

    @ParameterizedTest(name = "{0} allowed={1}")
    @MethodSource("origins")
    void originIsCheckedExactlyOnTheUpgrade(String origin, boolean allowed) {
        DefaultHttpHeaders h = new DefaultHttpHeaders();
        h.set("Origin", origin);
        String path = "/ws?token=" + rs256(TestKeys.RSA, claims("alice"));
        if (allowed) {
            try (TestClient c = TestClient.connect(rsServer.port(), path, h, false)) {
                c.expect("welcome");
            }
        } else {
            assertThatThrownBy(() -> TestClient.connect(rsServer.port(), path, h, false))
                    .hasStackTraceContaining("403 Forbidden").hasStackTraceContaining("origin not allowed");
        }
    }

    @Test
    void httpApiNeedsAKeyOrAnAdminToken() {
        String body = "{\"channel\":\"scan:api\",\"event\":\"e\"}";
        assertThat(rsServer.request("POST", "/api/publish", body).status()).isEqualTo(401);
        assertThat(rsServer.request("POST", "/api/publish", body, "X-Api-Key", "wrong-key-0123456789").status()).isEqualTo(401);
        assertThat(rsServer.request("POST", "/api/publish", body, "X-Api-Key", TestServer.PUBLISH_KEY).status()).isEqualTo(200);
        assertThat(rsServer.request("GET", "/api/stats", null, "X-Api-Key", TestServer.PUBLISH_KEY).status()).isEqualTo(403);
        assertThat(rsServer.request("GET", "/api/stats", null, "X-Api-Key", TestServer.ADMIN_KEY).status()).isEqualTo(200);
        String admin = rs256(TestKeys.RSA, claims("ops").claim("admin", true));
        assertThat(rsServer.request("GET", "/api/connections", null, "Authorization", "Bearer " + admin).status()).isEqualTo(200);
        String user = rs256(TestKeys.RSA, claims("alice"));
        assertThat(rsServer.request("GET", "/api/connections", null, "Authorization", "Bearer " + user).status()).isEqualTo(403);
        JsonNode err = rsServer.request("DELETE", "/api/channels/scan:1", null).json();
        assertThat(err.path("error").path("code").asText()).isEqualTo("unauthorized");
        assertThat(rsServer.request("GET", "/health", null).status()).isEqualTo(200);
    }
}
