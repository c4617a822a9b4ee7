package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FanoutStepTest {
    private static FanoutStep step(long published, long delivered, long latencyMicros, double seconds) {
        StepRecorder r = new StepRecorder();
        for (long i = 0; i < delivered; i++) {
            r.delivery(1, latencyMicros);
        }
        r.frame(1, 100);
        PublishStep.Outcome pub = new PublishStep.Outcome(published, published, 0, "", seconds, 0, new long[] {published});
        return new FanoutStep(1, published / seconds, pub, 100, published * 100, r.snapshot().get(0), seconds + 1, 500, 100, 10, 700, -1);
    }

    @Test
    void stepWithAllDeliveriesAndLowLatencyIsSustained() {
        FanoutStep s = step(10, 1000, 5_000, 10);

        assertThat(s.sustained()).isTrue();
        assertThat(s.deliveriesPerSecond()).isEqualTo(100);
        assertThat(s.serverCpuMicrosPerDelivery()).isEqualTo(500.0);
        // the machine was busy 700 ms, the known processes 610 ms: 90 ms over 11 s of wall time
        assertThat(s.otherCpuPercent()).isCloseTo(90 / 10.0 / 11, within(1e-9));

    }

    @Test
    void stepBreaksBelowNinetyFivePercentOrAboveOneSecondP99() {
        assertThat(step(10, 940, 5_000, 10).sustained()).isFalse();
        assertThat(step(10, 1000, 1_500_000, 10).sustained()).isFalse();
    }
}
