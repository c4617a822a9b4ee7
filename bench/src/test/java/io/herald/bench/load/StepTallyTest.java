package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepTallyTest {
    @Test
    void tallyOfSeveralProcessesMergesExactlyThroughJson() {
        StepRecorder a = new StepRecorder();
        StepRecorder b = new StepRecorder();
        for (int i = 1; i <= 900; i++) {
            a.delivery(3, 1_000);
        }
        for (int i = 1; i <= 100; i++) {
            b.delivery(3, 500_000);
        }
        a.frame(3, 190);
        b.frame(3, 200);

        StepTally merged = StepTally.fromJson(a.snapshot().get(0).toJson()).merge(StepTally.fromJson(b.snapshot().get(0).toJson()));

        assertThat(merged.deliveries()).isEqualTo(1000);
        assertThat(merged.frames()).isEqualTo(2);
        assertThat(merged.bytes()).isEqualTo(390);
        assertThat(merged.latencyMillis(50)).isEqualTo(1.0);
        assertThat(merged.latencyMillis(99)).isBetween(499.0, 501.0);
        assertThat(merged.maxLatencyMillis()).isBetween(499.0, 501.0);
    }

    @Test
    void stepsOutsideTheRangeAreIgnoredAndNegativeLatencyCountsAsZero() {
        StepRecorder r = new StepRecorder();
        r.delivery(-1, 10);
        r.delivery(StepRecorder.MAX_STEPS, 10);
        r.delivery(0, -5);
        r.frame(0, 10);

        assertThat(r.snapshot()).hasSize(1);
        assertThat(r.snapshot().get(0).latencyMillis(100)).isZero();
    }

    @Test
    void cpuTimeIsReadAfterACommandNameWithSpaces() {
        String stat = "4242 (java main) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 12345";

        assertThat(ProcStat.parseCpuMillis(stat)).isEqualTo((250 + 50) * 1000 / ProcStat.TICKS_PER_SECOND);
    }

    @Test
    void sourceAddressRangesExpandOnTheLastOctet() throws Exception {
        assertThat(SubscribeCommand.sources("127.0.0.2-127.0.0.4")).extracting(java.net.InetAddress::getHostAddress)
                .containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4");
        assertThat(SubscribeCommand.sources("none")).isEmpty();
    }

    @Test
    void aFramesMessagesCountUnderTheirOwnSteps() {
        StepRecorder r = new StepRecorder();
        StepRecorder.FrameBatch batch = new StepRecorder.FrameBatch();
        for (int i = 0; i < 100; i++) { // past the batch's first capacity
            batch.add(i < 70 ? 4 : 5, 1_000 + i);
        }
        batch.add(-1, 10); // no step: ignored
        r.deliveries(batch);
        r.frame(4, 500);

        java.util.List<StepTally> tallies = r.snapshot();
        assertThat(tallies).extracting(StepTally::step).containsExactly(4);
        assertThat(tallies.get(0).deliveries()).isEqualTo(70);
        assertThat(tallies.get(0).latencyMicros().getMaxValue()).isBetween(1_069L, 1_070L);
        r.frame(5, 100);
        assertThat(r.snapshot().get(1).deliveries()).isEqualTo(30);
    }
}
