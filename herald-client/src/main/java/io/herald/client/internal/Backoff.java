package io.herald.client.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the wait before retry {@code n} (0 for the first) is drawn
 * uniformly from {@code [0, min(max, initial·2^n)]}, so clients that dropped together spread their
 * returns over the whole window instead of coming back in waves. Not thread-safe (its random
 * generator is the caller's).
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private final RandomGenerator random;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
        if (initialMillis < 1 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("backoff: need 1 ms <= initial <= max, got " + initial + " and " + max);
        }
    }

    /** The upper bound of the wait before retry {@code attempt}: {@code min(max, initial·2^attempt)}. */
    public long ceilingMillis(int attempt) {
        long ceiling = initialMillis;
        for (int i = 0; i < attempt && ceiling < maxMillis; i++) {
            ceiling *= 2;
        }
        return Math.min(ceiling, maxMillis);
    }

    /** The wait before retry {@code attempt}, in milliseconds. */
    public long delayMillis(int attempt) {
        return random.nextLong(ceilingMillis(attempt) + 1);
    }
}
