package io.herald.server.internal.auth;

import io.herald.HeraldClock;
import io.herald.HeraldException;
import io.herald.server.AuthConfig;
import io.herald.server.internal.auth.ApiKeys.Role;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The one entry point the transports use to authenticate (SPEC §8). Made once per server from its
 * {@link AuthConfig}; immutable and thread-safe, and it never blocks, so event loops call it
 * directly.
 *
 * <pre>{@code
 * // WebSocket upgrade
 * if (!auth.originAllowed(headers.get(ORIGIN), headers.get(HOST))) -> 403, log, metric
 * // the connect frame, ?token= or "Authorization: Bearer" (null when none of them was sent)
 * Permissions p = auth.authenticate(token);          // UnauthorizedException -> close 4001
 * p.checkSubscribe(channel);                         // HeraldException forbidden -> error frame
 * // HTTP API
 * auth.authorizeApi(headers.get(AUTHORIZATION), headers.get("X-Api-Key"), Role.PUBLISH);
 * }</pre>
 */
public final class Authenticator {
    /** The header that carries an API key, as an alternative to {@code Authorization: Bearer}. */
    public static final String API_KEY_HEADER = "X-Api-Key";

    private static final String BEARER = "bearer ";

    private final AuthConfig config;
    private final Optional<TokenVerifier> verifier;
    private final ApiKeys apiKeys;
    private final OriginPolicy origins;

    /** @param clock the time tokens are checked against; {@link HeraldClock#SYSTEM} outside tests */
    public Authenticator(AuthConfig config, HeraldClock clock) {
        this.config = config;
        this.verifier = config.jwtKey().map(k -> TokenVerifier.create(config, clock));
        this.apiKeys = ApiKeys.of(config.publishApiKeys(), config.adminApiKeys());
        this.origins = OriginPolicy.of(config.allowedOrigins(), config.strictOrigin());
    }

    /**
     * The permissions of a connection that presented {@code token}.
     *
     * @param token the token from the connect frame, {@code ?token=} or {@code Authorization: Bearer};
     *              {@code null} or blank when the client sent none
     * @return {@link Permissions#ANONYMOUS} when no token was sent and anonymous access is on
     * @throws UnauthorizedException when no token was sent and anonymous access is off, or the token
     *                               is invalid (even when anonymous access is on: a client whose token
     *                               expired should learn so, not silently lose its permissions)
     */
    public Permissions authenticate(String token) {
        if (token == null || token.isBlank()) {
            if (config.anonymous()) {
                return Permissions.ANONYMOUS;
            }
            throw UnauthorizedException.missing();
        }
        return Permissions.of(verify(token));
    }

    /**
     * The HTTP API role of a request's credentials: {@code X-Api-Key: <key>} if present, else
     * {@code Authorization: Bearer <key or token>}. A bearer value that is no API key is verified as a
     * token, which grants {@link Role#ADMIN} when it has {@code admin: true}.
     *
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param apiKey        the {@code X-Api-Key} header, or {@code null}
     * @return empty when the request carries no credentials
     * @throws UnauthorizedException when the key is unknown or the token invalid
     * @throws HeraldException       {@code forbidden} for a valid token without {@code admin: true}
     */
    public Optional<Role> apiRole(String authorization, String apiKey) {
        boolean keyHeader = apiKey != null && !apiKey.isBlank();
        String presented = keyHeader ? apiKey.trim() : bearerToken(authorization).orElse(null);
        if (presented == null) {
            return Optional.empty();
        }
        Optional<Role> role = apiKeys.check(presented);
        if (role.isPresent()) {
            return role;
        }
        if (!keyHeader && looksLikeJwt(presented)) {
            if (!verify(presented).admin()) {
                throw HeraldException.forbidden("this token does not grant API access (it needs admin: true)");
            }
            return Optional.of(Role.ADMIN);
        }
        throw UnauthorizedException.badApiKey();
    }

    /**
     * Checks that a request may make a call that needs {@code needed}, returning the role it has.
     *
     * @throws UnauthorizedException when it carries no credentials, or invalid ones
     * @throws HeraldException       {@code forbidden} when its role is not enough, e.g. a publish key
     *                               on an admin call
     */
    public Role authorizeApi(String authorization, String apiKey, Role needed) {
        Role role = apiRole(authorization, apiKey).orElseThrow(UnauthorizedException::missingApiKey);
        if (!role.grants(needed)) {
            throw HeraldException.forbidden("this call needs an admin API key or an admin token");
        }
        return role;
    }

    /**
     * Whether a WebSocket upgrade with these headers may proceed (see {@link OriginPolicy}); refuse
     * it with HTTP 403 otherwise.
     *
     * @param origin the {@code Origin} header, or {@code null}
     * @param host   the {@code Host} header, or {@code null}
     */
    public boolean originAllowed(String origin, String host) {
        return origins.allows(origin, host);
    }

    /** How long a new connection may take to authenticate before it is closed with 4001. */
    public Duration connectTimeout() {
        return config.connectTimeout();
    }

    /** The value of an {@code Authorization: Bearer <value>} header (scheme in any case); empty for any other header. */
    public static Optional<String> bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(BEARER.length()).trim()).filter(s -> !s.isEmpty());
    }

    private TokenClaims verify(String token) {
        return verifier.orElseThrow(UnauthorizedException::notConfigured).verify(token);
    }

    /** Three dot-separated parts, as a compact JWS has; API keys never have two dots by convention. */
    private static boolean looksLikeJwt(String value) {
        int first = value.indexOf('.');
        int second = first < 0 ? -1 : value.indexOf('.', first + 1);
        return second > 0 && value.indexOf('.', second + 1) < 0;
    }

    @Override
    public String toString() {
        return "Authenticator{" + config + '}';
    }
}
