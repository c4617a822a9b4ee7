package io.herald.server.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.herald.HeraldClock;
import io.herald.server.AuthConfig;
import io.herald.server.JwtAlgorithm;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * Signs HS256 tokens with the configured secret, for {@code herald token} (development and tests).
 * The tokens carry the configured issuer and audience, so this server's {@link TokenVerifier}
 * accepts them. RS256 and ES256 tokens need a private key, which Herald never holds: an identity
 * provider or the application's backend signs those. Immutable and thread-safe.
 */
public final class TokenMinter {
    private final MACSigner signer;
    private final AuthConfig config;
    private final HeraldClock clock;

    private TokenMinter(MACSigner signer, AuthConfig config, HeraldClock clock) {
        this.signer = signer;
        this.config = config;
        this.clock = clock;
    }

    /**
     * A minter for the HS256 secret of {@code config}.
     *
     * @throws IllegalStateException when {@code config} has no key, or a public key rather than a secret
     */
    public static TokenMinter create(AuthConfig config, HeraldClock clock) {
        JwtAlgorithm algorithm = config.jwtAlgorithm().orElseThrow(() -> new IllegalStateException("no JWT key is configured"));
        if (algorithm != JwtAlgorithm.HS256) {
            throw new IllegalStateException("the server verifies " + algorithm + " tokens, which need the private key to sign");
        }
        try {
            return new TokenMinter(new MACSigner((SecretKey) config.jwtKey().orElseThrow()), config, clock);
        } catch (JOSEException e) {
            throw new IllegalStateException("the configured secret cannot sign HS256 tokens", e);
        }
    }

    /**
     * A signed token.
     *
     * @param subject  the {@code sub} claim (the user)
     * @param channels the {@code channels} claim: patterns the holder may subscribe to
     * @param publish  the {@code publish} claim: patterns the holder may publish to
     * @param admin    whether to add {@code admin: true}
     * @param ttl      how long the token is valid from now
     * @throws IllegalArgumentException when a pattern is invalid, the subject is blank or the ttl not positive
     */
    public String mint(String subject, List<String> channels, List<String> publish, boolean admin, Duration ttl) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("the subject must not be blank");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the lifetime must be positive, was " + ttl);
        }
        check("channels", channels);
        check("publish", publish);
        Instant now = Instant.ofEpochMilli(clock.epochMillis());
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)));
        config.issuer().ifPresent(claims::issuer);
        config.audience().ifPresent(claims::audience);
        if (!channels.isEmpty()) {
            claims.claim(TokenClaims.CHANNELS, List.copyOf(channels));
        }
        if (!publish.isEmpty()) {
            claims.claim(TokenClaims.PUBLISH, List.copyOf(publish));
        }
        if (admin) {
            claims.claim(TokenClaims.ADMIN, true);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the token", e);
        }
        return jwt.serialize();
    }

    private static void check(String claim, List<String> patterns) {
        for (String p : patterns) {
            if (!ChannelPatterns.isValid(p)) {
                throw new IllegalArgumentException("'" + p + "' (" + claim + ") is not a channel pattern;"
                        + " use channel names with * (within a namespace) or ** (across ':'), e.g. scan:*");
            }
        }
    }
}
