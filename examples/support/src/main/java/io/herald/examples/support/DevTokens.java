package io.herald.examples.support;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.HeraldClock;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A secret made at start and the HS256 connection tokens signed with it: what an application's
 * backend does for its pages (Herald verifies them with the same secret, {@code AuthConfig.jwtSecret}).
 * Signed with the JDK's HMAC, so the example shows the whole job: a token is a JWT with {@code sub},
 * {@code channels} (patterns the page may subscribe to), {@code iat} and {@code exp}.
 *
 * <pre>{@code
 * DevTokens tokens = DevTokens.random(HeraldClock.SYSTEM);
 * AuthConfig auth = AuthConfig.newBuilder().jwtSecret(tokens.secret()).build();
 * String token = tokens.mint("viewer", List.of("scan:*"), Duration.ofMinutes(15));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class DevTokens {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> CLAIMS = new TypeReference<>() { };
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final String secret;
    private final HeraldClock clock;

    private DevTokens(String secret, HeraldClock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    /** A new random secret (32 bytes, as hex), known to this process only. */
    public static DevTokens random(HeraldClock clock) {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new DevTokens(HexFormat.of().formatHex(bytes), Objects.requireNonNull(clock, "clock"));
    }

    /** The signing secret, for Herald's {@code AuthConfig.jwtSecret}. */
    public String secret() {
        return secret;
    }

    /**
     * A token for {@code subject} that may subscribe to {@code channels} (patterns such as
     * {@code scan:*}), valid for {@code ttl} from now on the clock.
     */
    public String mint(String subject, List<String> channels, Duration ttl) {
        long now = clock.epochMillis() / 1000;
        ObjectNode claims = JSON.createObjectNode()
                .put("sub", subject)
                .put("iat", now)
                .put("exp", now + Math.max(1, ttl.toSeconds()));
        claims.set("channels", JSON.valueToTree(channels));
        String body = HEADER + "." + B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        return body + "." + B64.encodeToString(hmac(body));
    }

    private byte[] hmac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** The claims of a token this class made (for tests and logs; the signature is not checked). */
    static Map<String, Object> claims(String token) {
        try {
            return JSON.readValue(Base64.getUrlDecoder().decode(token.split("\\.")[1]), CLAIMS);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a token: " + token, e);
        }
    }

    @Override
    public String toString() {
        return "DevTokens[secret=(hidden)]";
    }
}
