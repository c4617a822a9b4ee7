package io.herald.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    private final TestClock clock = new TestClock();
    private final LogThrottle throttle = new LogThrottle(clock, Duration.ofSeconds(1).toNanos());

    @Test
    void letsOneLinePerKindThroughPerIntervalAndCountsTheOthers() {
        assertThat(throttle.admit("a")).isZero();
        assertThat(throttle.admit("a")).isEqualTo(LogThrottle.HELD);
        assertThat(throttle.admit("a")).isEqualTo(LogThrottle.HELD);
        assertThat(throttle.admit("b")).as("another kind is not held back by the first").isZero();
        clock.advance(Duration.ofMillis(999));
        assertThat(throttle.admit("a")).isEqualTo(LogThrottle.HELD);
        clock.advance(Duration.ofMillis(1));
        assertThat(throttle.admit("a")).as("held back since the last line").isEqualTo(3);
        assertThat(throttle.admit("a")).isEqualTo(LogThrottle.HELD);
    }
}
