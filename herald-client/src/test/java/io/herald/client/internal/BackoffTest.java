package io.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void ceilingDoublesFromTheInitialDelayUpToTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(1));
        assertThat(new long[] {b.ceilingMillis(0), b.ceilingMillis(1), b.ceilingMillis(2), b.ceilingMillis(5),
                b.ceilingMillis(6), b.ceilingMillis(7), b.ceilingMillis(1_000)})
                .containsExactly(500, 1000, 2000, 16_000, 30_000, 30_000, 30_000);
    }

    @Test
    void delaysAreFullJitterOverTheWholeWindow() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), new SplittableRandom(42));
        long min = Long.MAX_VALUE;
        long max = 0;
        int lowerHalf = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = b.delayMillis(3); // window [0, 4000]
            assertThat(d).isBetween(0L, 4000L);
            min = Math.min(min, d);
            max = Math.max(max, d);
            lowerHalf += d < 2000 ? 1 : 0;
        }
        assertThat(min).as("full jitter reaches down to 0").isLessThan(40);
        assertThat(max).as("and up to the ceiling").isGreaterThan(3960);
        assertThat(lowerHalf).as("uniform: about half below the middle").isBetween(4_700, 5_300);
    }

    @Test
    void rejectsAnInitialDelayAboveTheCap() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial <= max");
    }
}
