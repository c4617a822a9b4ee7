package io.herald.server;

import io.herald.server.internal.auth.JwtKeys;
import io.herald.server.internal.auth.OriginPolicy;
import java.nio.file.Path;
import java.security.Key;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

// Over 300 lines on purpose: an immutable config with its builder, each setting's accessor,
// setter and validation side by side (STYLE: config is immutable, validated at build time).
/**
 * Who may connect, subscribe, publish and call the admin API (SPEC §8). Immutable; build with
 * {@link #newBuilder()} or {@link #toBuilder()}. {@link #DEFAULTS} is safe: no anonymous access, no
 * key (so no token verifies), no API key, and cross-origin browser upgrades refused.
 *
 * <p>The JWT key: {@linkplain Builder#jwtSecret an HS256 secret} or {@linkplain Builder#jwtPublicKey
 * an RS256/ES256 public key}, never both. Its algorithm is pinned: a token signed with any other
 * algorithm is refused, which rules out {@code alg: none} and RS256-to-HS256 confusion. When
 * {@link Builder#jwtAlgorithm} is not set it follows from the key: HS256 for a secret, RS256 for an
 * RSA key, ES256 for an EC P-256 key.
 *
 * <pre>{@code
 * AuthConfig auth = AuthConfig.newBuilder()
 *         .jwtSecret(System.getenv("HERALD_AUTH_JWT_SECRET"))
 *         .audience("herald")
 *         .adminApiKeys(List.of(System.getenv("OPS_KEY")))
 *         .build();
 * }</pre>
 *
 * <p>{@link #toString()} never shows a secret or an API key.
 */
public final class AuthConfig {
    public static final boolean DEFAULT_ANONYMOUS = false;
    /**
     * Off: an upgrade whose {@code Origin} matches its {@code Host} passes, so pages served on the
     * same host (through a proxy) work unconfigured. See {@link #strictOrigin()} for what that allows.
     */
    public static final boolean DEFAULT_STRICT_ORIGIN = false;
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The shortest HS256 secret accepted, in bytes of its UTF-8 form (RFC 7518 §3.2: at least the hash size). */
    public static final int MIN_SECRET_BYTES = JwtAlgorithm.MIN_HS256_SECRET_BYTES;
    /** The shortest API key accepted, in characters. */
    public static final int MIN_API_KEY_LENGTH = 16;
    /** The largest clock skew accepted. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);

    /** Nothing allowed until configured. */
    public static final AuthConfig DEFAULTS = newBuilder().build();

    private final Builder source;
    private final Optional<JwtAlgorithm> jwtAlgorithm;
    private final Optional<Key> jwtKey;
    private final Set<String> publishApiKeys;
    private final Set<String> adminApiKeys;
    private final List<String> allowedOrigins;

    private AuthConfig(Builder b, Optional<JwtAlgorithm> algorithm, Optional<Key> key, List<String> origins) {
        source = b.copy();
        jwtAlgorithm = algorithm;
        jwtKey = key;
        publishApiKeys = Set.copyOf(b.publishApiKeys);
        adminApiKeys = Set.copyOf(b.adminApiKeys);
        allowedOrigins = origins;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /** A builder holding this configuration's settings as they were given (a key file is read again on build). */
    public Builder toBuilder() {
        return source.copy();
    }

    /**
     * Whether a client may connect without a token (default false). Anonymous clients may subscribe to
     * any channel except {@code user:*} and may not publish. A token that is present but invalid is
     * refused even then.
     */
    public boolean anonymous() {
        return source.anonymous;
    }

    /** The pinned algorithm of {@link #jwtKey()}; empty when no key is configured. */
    public Optional<JwtAlgorithm> jwtAlgorithm() {
        return jwtAlgorithm;
    }

    /**
     * The key tokens are verified with: a {@code SecretKey} for HS256, an {@link RSAPublicKey} for
     * RS256, an {@link ECPublicKey} (P-256) for ES256. Empty by default: then no token is valid.
     */
    public Optional<Key> jwtKey() {
        return jwtKey;
    }

    /** The {@code iss} every token must carry, if set (default: not checked). */
    public Optional<String> issuer() {
        return source.issuer;
    }

    /** A value the token's {@code aud} must contain, if set (default: not checked). */
    public Optional<String> audience() {
        return source.audience;
    }

    /** Tolerance when checking {@code exp} and {@code nbf} against this server's clock (default 30 s). */
    public Duration clockSkew() {
        return source.clockSkew;
    }

    /** API keys that may publish over HTTP (default none). */
    public Set<String> publishApiKeys() {
        return publishApiKeys;
    }

    /** API keys that may publish and call every admin endpoint (default none). */
    public Set<String> adminApiKeys() {
        return adminApiKeys;
    }

    /** How long a new WebSocket connection may take to authenticate before it is closed (default 10 s). */
    public Duration connectTimeout() {
        return source.connectTimeout;
    }

    /**
     * Browser origins, besides the server's own, that may open a WebSocket, normalized to
     * {@code scheme://host[:port]}; {@code *} allows any. Default empty: a request whose
     * {@code Origin} differs from its {@code Host} is refused, while clients that send no
     * {@code Origin} (servers, command-line tools) are not affected.
     */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /**
     * Whether only {@link #allowedOrigins()} (and requests without {@code Origin}) may upgrade
     * (default false). When off, an {@code Origin} that matches the request's own {@code Host}
     * passes too; a hostile page whose domain its owner points at this server's address (DNS
     * rebinding, e.g. to 127.0.0.1) has such an origin, so with anonymous access it could subscribe
     * from a visitor's browser. Tokens are never ambient (no cookies), so a page without a token
     * gains nothing more than anonymous access gives.
     */
    public boolean strictOrigin() {
        return source.strictOrigin;
    }

    @Override
    public String toString() {
        String key = jwtAlgorithm.map(a -> a + " " + JwtKeys.describe(jwtKey.orElseThrow())).orElse("none");
        return "AuthConfig{anonymous=" + source.anonymous + ", jwt=" + key
                + ", issuer=" + source.issuer.orElse("-") + ", audience=" + source.audience.orElse("-")
                + ", clockSkew=" + source.clockSkew + ", apiKeys=" + publishApiKeys.size() + " publish/"
                + adminApiKeys.size() + " admin, connectTimeout=" + source.connectTimeout
                + ", allowedOrigins=" + allowedOrigins + ", strictOrigin=" + source.strictOrigin + '}';
    }

    /** Builds an {@link AuthConfig}. Not thread-safe. */
    public static final class Builder {
        private boolean anonymous = DEFAULT_ANONYMOUS;
        private Optional<JwtAlgorithm> jwtAlgorithm = Optional.empty();
        private Optional<String> jwtSecret = Optional.empty();
        private Optional<String> jwtPublicKey = Optional.empty();
        private Optional<Path> jwtPublicKeyFile = Optional.empty();
        private Optional<String> issuer = Optional.empty();
        private Optional<String> audience = Optional.empty();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Set<String> publishApiKeys = Set.of();
        private Set<String> adminApiKeys = Set.of();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private List<String> allowedOrigins = List.of();
        private boolean strictOrigin = DEFAULT_STRICT_ORIGIN;

        private Builder() {
        }

        public Builder anonymous(boolean v) {
            anonymous = v;
            return this;
        }

        /** Pins the algorithm; it must agree with the key. Optional: by default it follows from the key. */
        public Builder jwtAlgorithm(JwtAlgorithm v) {
            jwtAlgorithm = Optional.of(v);
            return this;
        }

        /**
         * The HS256 secret: its UTF-8 bytes are the HMAC key (a hex or base64 string is not decoded).
         * At least {@value AuthConfig#MIN_SECRET_BYTES} bytes; {@code openssl rand -hex 32} makes one.
         * Surrounding whitespace is ignored.
         */
        public Builder jwtSecret(String v) {
            jwtSecret = Optional.of(v.strip());
            return this;
        }

        /** An RSA (2048 bits or more) or EC P-256 public key, PEM ({@code -----BEGIN PUBLIC KEY-----} or a certificate). */
        public Builder jwtPublicKey(String pem) {
            jwtPublicKey = Optional.of(pem);
            return this;
        }

        /** A file holding what {@link #jwtPublicKey} takes; read when the configuration is built. */
        public Builder jwtPublicKeyFile(Path v) {
            jwtPublicKeyFile = Optional.of(v);
            return this;
        }

        public Builder issuer(String v) {
            issuer = Optional.of(v.strip()).filter(s -> !s.isEmpty());
            return this;
        }

        public Builder audience(String v) {
            audience = Optional.of(v.strip()).filter(s -> !s.isEmpty());
            return this;
        }

        public Builder clockSkew(Duration v) {
            clockSkew = v;
            return this;
        }

        public Builder publishApiKeys(Collection<String> v) {
            publishApiKeys = Set.copyOf(v);
            return this;
        }

        public Builder adminApiKeys(Collection<String> v) {
            adminApiKeys = Set.copyOf(v);
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder allowedOrigins(Collection<String> v) {
            allowedOrigins = List.copyOf(v);
            return this;
        }

        /** See {@link AuthConfig#strictOrigin()}. */
        public Builder strictOrigin(boolean v) {
            strictOrigin = v;
            return this;
        }

        /**
         * Validates, reads and parses the key.
         *
         * @throws IllegalArgumentException naming the key path (e.g. {@code auth.jwt.secret}) and the
         *                                  problem, never a secret value
         */
        public AuthConfig build() {
            if (clockSkew == null || clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
                throw new IllegalArgumentException("auth.jwt.clockSkew must be between 0s and 10m, was " + clockSkew);
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("auth.connectTimeout must be a positive duration, was " + connectTimeout);
            }
            checkApiKeys();
            List<String> origins = origins();
            Optional<JwtKeys.Pinned> key = JwtKeys.resolve(jwtAlgorithm, jwtSecret, jwtPublicKey, jwtPublicKeyFile);
            return new AuthConfig(this, key.map(JwtKeys.Pinned::algorithm), key.map(JwtKeys.Pinned::key), origins);
        }

        private void checkApiKeys() {
            checkApiKeys("auth.apiKeys.publish", publishApiKeys);
            checkApiKeys("auth.apiKeys.admin", adminApiKeys);
            Set<String> both = new HashSet<>(publishApiKeys);
            both.retainAll(adminApiKeys);
            if (!both.isEmpty()) {
                throw new IllegalArgumentException("auth.apiKeys.admin must not repeat a key of auth.apiKeys.publish"
                        + " (an admin key may publish already)");
            }
        }

        private static void checkApiKeys(String path, Set<String> keys) {
            // the messages describe the offending key by its length only: they end up in logs
            for (String k : keys) {
                if (k.length() < MIN_API_KEY_LENGTH) {
                    throw new IllegalArgumentException(path + " must hold keys of at least " + MIN_API_KEY_LENGTH
                            + " characters, one has " + k.length() + "; generate one with: openssl rand -hex 32");
                }
                if (!k.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                    throw new IllegalArgumentException(path + " must hold keys of printable ASCII without spaces;"
                            + " one of " + k.length() + " characters is not");
                }
            }
        }

        private List<String> origins() {
            try {
                return allowedOrigins.stream().map(OriginPolicy::normalize).distinct().toList();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("allowedOrigins must " + e.getMessage(), e);
            }
        }

        private Builder copy() {
            Builder b = new Builder();
            b.anonymous = anonymous;
            b.jwtAlgorithm = jwtAlgorithm;
            b.jwtSecret = jwtSecret;
            b.jwtPublicKey = jwtPublicKey;
            b.jwtPublicKeyFile = jwtPublicKeyFile;
            b.issuer = issuer;
            b.audience = audience;
            b.clockSkew = clockSkew;
            b.publishApiKeys = publishApiKeys;
            b.adminApiKeys = adminApiKeys;
            b.connectTimeout = connectTimeout;
            b.allowedOrigins = allowedOrigins;
            b.strictOrigin = strictOrigin;
            return b;
        }
    }
}
