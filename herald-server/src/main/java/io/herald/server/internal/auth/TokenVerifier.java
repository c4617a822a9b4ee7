package io.herald.server.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.herald.HeraldClock;
import io.herald.server.AuthConfig;
import io.herald.server.JwtAlgorithm;
import java.security.Key;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * Verifies connection and admin tokens: compact JWS (RFC 7515) JWTs signed with the one configured
 * key, whose algorithm is pinned. The signature is checked by nimbus-jose-jwt; Herald checks the
 * claims itself against {@link HeraldClock}, so that tests control time.
 *
 * <p>A token is refused ({@link UnauthorizedException}, in this order) when it is longer than
 * {@value #MAX_TOKEN_LENGTH} characters or not a JWS; unsigned ({@code alg: none}) or encrypted;
 * signed with any algorithm but the pinned one (so an RSA public key used as an HMAC secret never
 * verifies); its signature does not verify; it has no {@code exp}, or {@code exp} is past by more
 * than the clock skew; {@code nbf} is ahead by more than the skew; {@code iss} or {@code aud}
 * differ from the configured ones; {@code sub} is missing or blank; {@code channels},
 * {@code publish} or {@code admin} have the wrong shape (see {@link TokenClaims}).
 *
 * <p>Immutable and thread-safe. One verification costs microseconds (HS256) to a few hundred
 * microseconds (RS256, ES256), small enough for an event loop at connect time.
 */
public final class TokenVerifier {
    /** Longer tokens are refused before parsing, bounding the work an unauthenticated client causes. */
    public static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final JWSAlgorithm algorithm;
    private final JWSVerifier verifier;
    private final Optional<String> issuer;
    private final Optional<String> audience;
    private final long skewMillis;
    private final HeraldClock clock;

    private TokenVerifier(JwtAlgorithm algorithm, Key key, Optional<String> issuer, Optional<String> audience,
            Duration clockSkew, HeraldClock clock) {
        this.algorithm = JWSAlgorithm.parse(algorithm.name());
        this.verifier = verifierFor(algorithm, key);
        this.issuer = issuer;
        this.audience = audience;
        this.skewMillis = clockSkew.toMillis();
        this.clock = clock;
    }

    /**
     * A verifier for the key, issuer, audience and skew of {@code config}.
     *
     * @throws IllegalArgumentException when {@code config} has no JWT key
     */
    public static TokenVerifier create(AuthConfig config, HeraldClock clock) {
        JwtAlgorithm algorithm = config.jwtAlgorithm()
                .orElseThrow(() -> new IllegalArgumentException("no JWT key is configured"));
        return new TokenVerifier(algorithm, config.jwtKey().orElseThrow(), config.issuer(), config.audience(),
                config.clockSkew(), clock);
    }

    /**
     * The claims of {@code token} once every check has passed.
     *
     * @throws UnauthorizedException saying why the token is refused, in words safe to send to the client
     */
    public TokenClaims verify(String token) {
        SignedJWT jwt = verifiedSignature(token);
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw UnauthorizedException.malformed();
        }
        Instant expiresAt = checkTimes(claims);
        issuer.ifPresent(iss -> {
            if (!iss.equals(claims.getIssuer())) {
                throw UnauthorizedException.wrongIssuer();
            }
        });
        audience.ifPresent(aud -> {
            List<String> audiences = claims.getAudience();
            if (audiences == null || !audiences.contains(aud)) {
                throw UnauthorizedException.wrongAudience();
            }
        });
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw UnauthorizedException.missingClaim("sub");
        }
        return new TokenClaims(subject, expiresAt, patterns(claims, TokenClaims.CHANNELS),
                patterns(claims, TokenClaims.PUBLISH), admin(claims));
    }

    /** Parses {@code token} and checks its algorithm and signature; nothing in it is trusted before this. */
    private SignedJWT verifiedSignature(String token) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            throw UnauthorizedException.malformed();
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(token.trim());
        } catch (ParseException | RuntimeException e) {
            // nimbus reports malformed input as ParseException, and a few shapes as unchecked exceptions
            throw UnauthorizedException.malformed();
        }
        if (parsed instanceof PlainJWT) {
            throw UnauthorizedException.unsigned();
        }
        if (parsed instanceof EncryptedJWT || !(parsed instanceof SignedJWT jwt)) {
            throw UnauthorizedException.encrypted();
        }
        if (!algorithm.equals(jwt.getHeader().getAlgorithm())) {
            throw UnauthorizedException.algorithmNotAllowed();
        }
        boolean valid;
        try {
            valid = jwt.verify(verifier);
        } catch (JOSEException | RuntimeException e) {
            valid = false; // e.g. unknown critical header parameters, a signature of the wrong length
        }
        if (!valid) {
            throw UnauthorizedException.badSignature();
        }
        return jwt;
    }

    private Instant checkTimes(JWTClaimsSet claims) {
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw UnauthorizedException.missingClaim("exp");
        }
        long now = clock.epochMillis();
        // RFC 7519 §4.1.4: not accepted on or after exp; the skew forgives a server clock running ahead
        if (now - skewMillis >= exp.getTime()) {
            throw UnauthorizedException.expired();
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now + skewMillis < nbf.getTime()) {
            throw UnauthorizedException.notYetValid();
        }
        return exp.toInstant();
    }

    private static ChannelPatterns patterns(JWTClaimsSet claims, String name) {
        if (claims.getClaim(name) == null) {
            return ChannelPatterns.NONE;
        }
        try {
            return ChannelPatterns.of(claims.getStringListClaim(name));
        } catch (ParseException | IllegalArgumentException e) {
            throw UnauthorizedException.invalidClaim(name);
        }
    }

    private static boolean admin(JWTClaimsSet claims) {
        Object admin = claims.getClaim(TokenClaims.ADMIN);
        if (admin == null) {
            return false;
        }
        if (admin instanceof Boolean b) {
            return b;
        }
        throw UnauthorizedException.invalidClaim(TokenClaims.ADMIN);
    }

    private static JWSVerifier verifierFor(JwtAlgorithm algorithm, Key key) {
        try {
            return switch (algorithm) {
                case HS256 -> new MACVerifier((SecretKey) key);
                case RS256 -> new RSASSAVerifier((RSAPublicKey) key);
                case ES256 -> new ECDSAVerifier((ECPublicKey) key);
            };
        } catch (JOSEException | ClassCastException e) {
            throw new IllegalArgumentException("the configured key cannot verify " + algorithm + " tokens", e);
        }
    }
}
