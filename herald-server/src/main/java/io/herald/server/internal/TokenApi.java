package io.herald.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.HeraldException;
import io.herald.server.AuthConfig;
import io.herald.server.JwtAlgorithm;
import io.herald.server.internal.auth.TokenMinter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/tokens} (admin credentials): signs a connection token with the server's HS256
 * secret, so a backend can hand its users tokens without a JWT library, and the dashboard can trade
 * an admin API key for a short-lived admin token for its WebSocket. A server that only verifies
 * (an RS256 or ES256 public key, or no key) cannot sign, and says so ({@code bad_request}: asking
 * again will not help). Stateless.
 */
final class TokenApi {
    private static final Logger log = LoggerFactory.getLogger(TokenApi.class);
    /** A token's lifetime when the request names none. */
    static final Duration DEFAULT_TTL = Duration.ofHours(1);
    /** The longest lifetime a token may be given: a leaked token is good for at most this long. */
    static final Duration MAX_TTL = Duration.ofDays(1);
    static final int MAX_PATTERNS = 128;
    static final int MAX_SUBJECT_LENGTH = 256;
    private static final Set<String> FIELDS = Set.of("sub", "channels", "publish", "admin", "ttlSeconds");

    private final ServerContext server;
    /** Empty when this server cannot sign; {@link #cannotSign} says why. */
    private final Optional<TokenMinter> minter;
    private final String cannotSign;

    TokenApi(ServerContext server) {
        this.server = server;
        AuthConfig auth = server.config().auth();
        Optional<JwtAlgorithm> algorithm = auth.jwtAlgorithm();
        this.minter = algorithm.filter(a -> a == JwtAlgorithm.HS256).map(a -> TokenMinter.create(auth, server.clock()));
        this.cannotSign = algorithm.isEmpty()
                ? "this server has no JWT key (auth.jwt.secret), so it cannot sign tokens"
                : "this server verifies " + algorithm.get() + " tokens with a public key and cannot sign them:"
                        + " tokens come from whoever holds the private key";
    }

    /** {@code POST /api/tokens} with {@code {sub, channels?, publish?, admin?, ttlSeconds?}}: answers {@code {token, expiresAt}}. */
    void mint(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
        TokenMinter signer = minter.orElseThrow(() -> HeraldException.badRequest(cannotSign));
        JsonNode body = HttpApi.body(req);
        if (!body.isObject()) {
            throw HeraldException.badRequest("the body must be an object: {\"sub\",\"channels\"?,\"publish\"?,\"admin\"?,\"ttlSeconds\"?}");
        }
        MessageJson.rejectUnknown(body, FIELDS);
        String sub = MessageJson.text(body, "sub", true);
        if (sub.isBlank() || sub.length() > MAX_SUBJECT_LENGTH) {
            throw HeraldException.badRequest("'sub' must be 1 to " + MAX_SUBJECT_LENGTH + " characters, not blank");
        }
        List<String> channels = patterns(body, "channels");
        List<String> publish = patterns(body, "publish");
        boolean admin = MessageJson.bool(body, "admin");
        Duration ttl = ttl(body.get("ttlSeconds"));
        long now = server.clock().epochMillis();
        String token;
        try {
            token = signer.mint(sub, channels, publish, admin, ttl);
        } catch (IllegalArgumentException e) {
            throw HeraldException.badRequest(e.getMessage());
        }
        log.info("token issued over the API for '{}' ({}channels {}, publish {}, {} s)", sub, admin ? "admin, " : "",
                channels, publish, ttl.toSeconds());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token", token);
        // exp is in whole seconds (RFC 7519 NumericDate)
        answer.put("expiresAt", Instant.ofEpochSecond((now + ttl.toMillis()) / 1000).toString());
        HttpResponses.json(ctx, keepAlive, HttpResponseStatus.OK, answer);
    }

    private static List<String> patterns(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray() || v.size() > MAX_PATTERNS) {
            throw HeraldException.badRequest("'" + field + "' must be an array of at most " + MAX_PATTERNS
                    + " channel patterns, e.g. [\"scan:*\"]");
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw HeraldException.badRequest(field + "[" + i + "] must be a string");
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    private static Duration ttl(JsonNode v) {
        if (v == null || v.isNull()) {
            return DEFAULT_TTL;
        }
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > MAX_TTL.toSeconds()) {
            throw HeraldException.badRequest("'ttlSeconds' must be a whole number from 1 to " + MAX_TTL.toSeconds());
        }
        return Duration.ofSeconds(v.asLong());
    }
}
