package io.herald.server.internal.auth;

import static io.herald.server.internal.auth.TestKeys.AUDIENCE;
import static io.herald.server.internal.auth.TestKeys.CLOCK;
import static io.herald.server.internal.auth.TestKeys.EC;
import static io.herald.server.internal.auth.TestKeys.ISSUER;
import static io.herald.server.internal.auth.TestKeys.NOW_MILLIS;
import static io.herald.server.internal.auth.TestKeys.OTHER_EC;
import static io.herald.server.internal.auth.TestKeys.OTHER_RSA;
import static io.herald.server.internal.auth.TestKeys.OTHER_SECRET;
import static io.herald.server.internal.auth.TestKeys.RSA;
import static io.herald.server.internal.auth.TestKeys.SECRET;
import static io.herald.server.internal.auth.TestKeys.claims;
import static io.herald.server.internal.auth.TestKeys.es256;
import static io.herald.server.internal.auth.TestKeys.hs256;
import static io.herald.server.internal.auth.TestKeys.macSigner;
import static io.herald.server.internal.auth.TestKeys.pem;
import static io.herald.server.internal.auth.TestKeys.rs256;
import static io.herald.server.internal.auth.TestKeys.sign;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.herald.ErrorCode;
import io.herald.server.AuthConfig;
import io.herald.server.internal.auth.UnauthorizedException.Reason;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenVerifierTest {
    private static final TokenVerifier HS = verifier(AuthConfig.newBuilder().jwtSecret(SECRET));
    private static final TokenVerifier RS = verifier(AuthConfig.newBuilder().jwtPublicKey(pem(RSA.getPublic())));
    private static final TokenVerifier ES = verifier(AuthConfig.newBuilder().jwtPublicKey(pem(EC.getPublic())));
    private static final long SKEW = AuthConfig.DEFAULT_CLOCK_SKEW.toMillis();

    @Test
    void acceptsAValidTokenOfEachAlgorithmAndReturnsItsClaims() {
        JWTClaimsSet.Builder c = claims()
                .claim("channels", List.of("scan:*", "user:alice"))
                .claim("publish", List.of("scan:42"));

        for (TokenClaims claims : List.of(HS.verify(hs256(c)), RS.verify(rs256(RSA, c)), ES.verify(es256(EC, c)))) {
            assertThat(claims.subject()).isEqualTo("alice");
            assertThat(claims.expiresAt()).isEqualTo(Instant.ofEpochMilli(NOW_MILLIS).plus(Duration.ofHours(1)));
            assertThat(claims.subscribe().patterns()).containsExactly("scan:*", "user:alice");
            assertThat(claims.publish().patterns()).containsExactly("scan:42");
            assertThat(claims.admin()).isFalse();
        }
    }

    @Test
    void absentChannelClaimsGrantNothingAndAdminIsReadAsABoolean() {
        TokenClaims claims = HS.verify(hs256(claims().claim("admin", true)));

        assertThat(claims.subscribe()).isEqualTo(ChannelPatterns.NONE);
        assertThat(claims.publish()).isEqualTo(ChannelPatterns.NONE);
        assertThat(claims.admin()).isTrue();
    }

    @Test
    void toleratesClockSkewOnBothSides() {
        // JWT times are whole seconds
        String barelyExpired = hs256(claims().expirationTime(new Date(NOW_MILLIS - SKEW + 1000)));
        String barelyEarly = hs256(claims().notBeforeTime(new Date(NOW_MILLIS + SKEW)));

        assertThat(HS.verify(barelyExpired).subject()).isEqualTo("alice");
        assertThat(HS.verify(barelyEarly).subject()).isEqualTo("alice");
    }

    @Test
    void checksIssuerAndAudienceOnlyWhenConfigured() {
        TokenVerifier lenient = TokenVerifier.create(AuthConfig.newBuilder().jwtSecret(SECRET).build(), CLOCK);

        assertThat(lenient.verify(hs256(claims().issuer(null).audience((String) null))).subject()).isEqualTo("alice");
        assertThat(HS.verify(hs256(claims().audience(List.of("other", AUDIENCE)))).subject()).isEqualTo("alice");
    }

    @Test
    void acceptsSurroundingWhitespace() {
        assertThat(HS.verify(" " + hs256(claims()) + "\n").subject()).isEqualTo("alice");
    }

    static Stream<Arguments> hostileTokens() {
        String valid = hs256(claims());
        String validEs = es256(EC, claims());
        return Stream.of(
                // not a token at all
                refused("null", HS, null, Reason.MALFORMED),
                refused("empty string", HS, "", Reason.MALFORMED),
                refused("blank", HS, "   ", Reason.MALFORMED),
                refused("garbage", HS, "not a token", Reason.MALFORMED),
                refused("three parts of garbage", HS, "abc.def.ghi", Reason.MALFORMED),
                refused("header that is not JSON", HS, b64("{alg") + "." + b64("{}") + ".c2ln", Reason.MALFORMED),
                refused("only a header", HS, valid.substring(0, valid.indexOf('.')), Reason.MALFORMED),
                refused("longer than the limit", HS, valid + "A".repeat(TokenVerifier.MAX_TOKEN_LENGTH), Reason.MALFORMED),
                refused("encrypted (JWE)", HS, encrypted(), Reason.MALFORMED),
                // unsigned and algorithm confusion
                refused("alg none", HS, new PlainJWT(claims().build()).serialize(), Reason.ALGORITHM),
                refused("alg none against RS256", RS, new PlainJWT(claims().build()).serialize(), Reason.ALGORITHM),
                refused("alg none against ES256", ES, new PlainJWT(claims().build()).serialize(), Reason.ALGORITHM),
                // nimbus refuses an unsigned token with a signature part before Herald looks at its algorithm
                refused("alg none keeping a valid signature", HS, withHeader(valid, "{\"alg\":\"none\"}"), Reason.MALFORMED),
                refused("alg None, HMAC-signed", HS, hmacToken("{\"alg\":\"None\"}", SECRET), Reason.ALGORITHM),
                refused("alg NONE, HMAC-signed", HS, hmacToken("{\"alg\":\"NONE\"}", SECRET), Reason.ALGORITHM),
                refused("RS256 public key PEM as HS256 secret", RS,
                        sign(JWSAlgorithm.HS256, macSigner(pem(RSA.getPublic()).getBytes(UTF_8)), claims()), Reason.ALGORITHM),
                refused("RS256 public key DER as HS256 secret", RS,
                        sign(JWSAlgorithm.HS256, macSigner(RSA.getPublic().getEncoded()), claims()), Reason.ALGORITHM),
                refused("EC public key PEM as HS256 secret", ES,
                        sign(JWSAlgorithm.HS256, macSigner(pem(EC.getPublic()).getBytes(UTF_8)), claims()), Reason.ALGORITHM),
                refused("HS384 with the right secret", HS,
                        sign(JWSAlgorithm.HS384, macSigner(SECRET.getBytes(UTF_8)), claims()), Reason.ALGORITHM),
                refused("RS256 token at an HS256 server", HS, rs256(RSA, claims()), Reason.ALGORITHM),
                refused("ES256 token at an RS256 server", RS, es256(EC, claims()), Reason.ALGORITHM),
                refused("PS256 with the right RSA key", RS,
                        sign(JWSAlgorithm.PS256, new com.nimbusds.jose.crypto.RSASSASigner(RSA.getPrivate()), claims()),
                        Reason.ALGORITHM),
                // signatures
                refused("ECDSA signature of zeros", ES, withSignature(validEs, new byte[64]), Reason.SIGNATURE),
                refused("ECDSA signature of the wrong length", ES, withSignature(validEs, new byte[70]), Reason.SIGNATURE),
                refused("empty signature", HS, withSignature(valid, new byte[0]), Reason.MALFORMED),
                refused("HS256 signed with another secret", HS,
                        sign(JWSAlgorithm.HS256, macSigner(OTHER_SECRET.getBytes(UTF_8)), claims()), Reason.SIGNATURE),
                refused("RS256 signed with another key", RS, rs256(OTHER_RSA, claims()), Reason.SIGNATURE),
                refused("ES256 signed with another key", ES, es256(OTHER_EC, claims()), Reason.SIGNATURE),
                refused("payload changed after signing", HS, withPayload(valid, claims().subject("mallory")), Reason.SIGNATURE),
                refused("unknown critical header", HS, sign(new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .criticalParams(Set.of("x-herald")).customParam("x-herald", 1).build(),
                        macSigner(SECRET.getBytes(UTF_8)), claims()), Reason.SIGNATURE),
                // times
                refused("expired", HS, hs256(claims().expirationTime(new Date(NOW_MILLIS - SKEW - 1000))), Reason.EXPIRED),
                refused("expired exactly at the skew", HS, hs256(claims().expirationTime(new Date(NOW_MILLIS - SKEW))),
                        Reason.EXPIRED),
                refused("expired ES256", ES, es256(EC, claims().expirationTime(new Date(NOW_MILLIS - 3_600_000))),
                        Reason.EXPIRED),
                refused("not yet valid", HS, hs256(claims().notBeforeTime(new Date(NOW_MILLIS + SKEW + 1000))),
                        Reason.NOT_YET_VALID),
                refused("no exp", HS, hs256(claims().expirationTime(null)), Reason.CLAIMS),
                // issuer, audience, subject
                refused("wrong issuer", HS, hs256(claims().issuer("https://evil.test")), Reason.ISSUER),
                refused("no issuer", HS, hs256(claims().issuer(null)), Reason.ISSUER),
                refused("wrong audience", HS, hs256(claims().audience("other")), Reason.AUDIENCE),
                refused("no audience", HS, hs256(claims().audience((String) null)), Reason.AUDIENCE),
                refused("no sub", HS, hs256(claims().subject(null)), Reason.CLAIMS),
                refused("blank sub", HS, hs256(claims().subject(" ")), Reason.CLAIMS),
                // Herald's claims
                refused("channels as a string", HS, hs256(claims().claim("channels", "scan:*")), Reason.CLAIMS),
                refused("channels holding a number", HS, hs256(claims().claim("channels", List.of(1))), Reason.CLAIMS),
                refused("channels holding an invalid pattern", HS, hs256(claims().claim("channels", List.of("scan:***"))),
                        Reason.CLAIMS),
                refused("publish holding a space", HS, hs256(claims().claim("publish", List.of("a b"))), Reason.CLAIMS),
                refused("admin as a string", HS, hs256(claims().claim("admin", "true")), Reason.CLAIMS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileTokens")
    void refusesHostileTokens(String name, TokenVerifier verifier, String token, Reason reason) {
        UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class, () -> verifier.verify(token));

        assertThat(e).as(name).isNotNull();
        assertThat(e.reason()).as(name + ": " + e.getMessage()).isEqualTo(reason);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(e.closeCode()).isEqualTo(4001);
        // the message goes to the client: short, and never key material or the token
        assertThat(e.getMessage()).hasSizeLessThan(60).doesNotContain(SECRET).doesNotContain("BEGIN");
        if (token != null && token.length() > 3) {
            assertThat(e.getMessage()).doesNotContain(token.trim());
        }
    }

    @Test
    void messagesNameTheProblem() {
        assertThatThrownBy(() -> HS.verify(hs256(claims().expirationTime(new Date(0))))).hasMessage("token expired");
        assertThatThrownBy(() -> RS.verify(hs256(claims()))).hasMessage("algorithm not allowed");
        assertThatThrownBy(() -> HS.verify(new PlainJWT(claims().build()).serialize()))
                .hasMessage("unsigned token (alg: none) not allowed");
        assertThatThrownBy(() -> ES.verify(es256(OTHER_EC, claims()))).hasMessage("invalid signature");
        assertThatThrownBy(() -> HS.verify(hs256(claims().audience("x")))).hasMessage("wrong audience");
        assertThatThrownBy(() -> HS.verify(hs256(claims().issuer("x")))).hasMessage("wrong issuer");
        assertThatThrownBy(() -> HS.verify(hs256(claims().subject(null)))).hasMessage("token has no 'sub' claim");
        assertThatThrownBy(() -> HS.verify("x")).hasMessage("malformed token");
    }

    @Test
    void createNeedsAKey() {
        assertThatThrownBy(() -> TokenVerifier.create(AuthConfig.DEFAULTS, CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no JWT key is configured");
    }

    private static TokenVerifier verifier(AuthConfig.Builder config) {
        return TokenVerifier.create(config.issuer(ISSUER).audience(AUDIENCE).build(), CLOCK);
    }

    private static Arguments refused(String name, TokenVerifier verifier, String token, Reason reason) {
        return Arguments.of(name, verifier, token, reason);
    }

    private static String b64(String json) {
        return Base64URL.encode(json.getBytes(UTF_8)).toString();
    }

    private static String withHeader(String token, String headerJson) {
        return b64(headerJson) + token.substring(token.indexOf('.'));
    }

    private static String withPayload(String token, JWTClaimsSet.Builder claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + b64(claims.build().toString()) + "." + parts[2];
    }

    private static String withSignature(String token, byte[] signature) {
        return token.substring(0, token.lastIndexOf('.') + 1) + Base64URL.encode(signature);
    }

    /** A token whose header nimbus would not sign (e.g. an unknown algorithm), MACed by hand with HMAC-SHA256. */
    private static String hmacToken(String headerJson, String secret) {
        String input = b64(headerJson) + "." + b64(claims().build().toString());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
            return input + "." + Base64URL.encode(mac.doFinal(input.getBytes(UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static String encrypted() {
        EncryptedJWT jwt = new EncryptedJWT(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), claims().build());
        try {
            jwt.encrypt(new DirectEncrypter(new byte[32]));
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
        return jwt.serialize();
    }
}
