package io.herald.server.fuzz;

import io.herald.HeraldClock;
import io.herald.server.AuthConfig;
import io.herald.server.internal.auth.TokenMinter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Tokens a fuzzed client may present: the fuzzer cannot forge a signature, so the valid ones are
 * minted here, once, at the instant every {@link FuzzClock} starts.
 */
final class Tokens {
    static final String SECRET = "fuzz-secret-0123456789abcdef0123456789abcdef";
    /** Anonymous clients may connect (so commands get processed), and tokens are verified. */
    static final AuthConfig AUTH = AuthConfig.newBuilder().jwtSecret(SECRET).anonymous(true).build();

    /** May subscribe and publish anywhere outside other users' channels. */
    static final String ALICE = mint(AUTH, 0, "alice", List.of("**"), List.of("**"), false, Duration.ofHours(1));
    /** Only {@code room:*}, and expires after 20 s, so a wait can reach the expiry (4001). */
    static final String BOB = mint(AUTH, 0, "bob", List.of("room:*"), List.of(), false, Duration.ofSeconds(20));
    static final String ADMIN = mint(AUTH, 0, "root", List.of(), List.of(), true, Duration.ofHours(1));
    static final String EXPIRED = mint(AUTH, -7_200_000, "alice", List.of("**"), List.of("**"), false, Duration.ofHours(1));
    static final String FORGED = mint(AuthConfig.newBuilder().jwtSecret("another-secret-0123456789abcdef0123456789").build(),
            0, "root", List.of(), List.of(), true, Duration.ofHours(1));
    static final String GARBAGE = "eyJhbGciOiJub25lIn0.e30.";

    /** What a client may present; null for no token. */
    static final List<String> CHOICES = Collections.unmodifiableList(
            Arrays.asList(null, ALICE, BOB, ADMIN, EXPIRED, FORGED, GARBAGE));

    private Tokens() {
    }

    private static String mint(AuthConfig auth, long offsetMillis, String subject, List<String> channels,
            List<String> publish, boolean admin, Duration ttl) {
        HeraldClock at = new HeraldClock() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public long epochMillis() {
                return FuzzClock.START_EPOCH_MILLIS + offsetMillis;
            }
        };
        return TokenMinter.create(auth, at).mint(subject, channels, publish, admin, ttl);
    }
}
