package io.herald.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Records deliveries per publish step as they arrive, from any number of event loops at once
 * (wait-free: {@link LongAdder} and {@link ConcurrentHistogram}). Steps are the {@code s} the
 * publisher writes into each message, 0 to {@link #MAX_STEPS} - 1; others are ignored. Thread-safe.
 */
final class StepRecorder {
    static final int MAX_STEPS = 64;

    private final Slot[] slots = new Slot[MAX_STEPS];

    private static final class Slot {
        final LongAdder deliveries = new LongAdder();
        final LongAdder frames = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder lagFrames = new LongAdder();
        final ConcurrentHistogram latency = new ConcurrentHistogram(StepTally.MAX_LATENCY_MICROS, 3);
    }

    StepRecorder() {
        for (int i = 0; i < MAX_STEPS; i++) {
            slots[i] = new Slot();
        }
    }

    static boolean valid(int step) {
        return step >= 0 && step < MAX_STEPS;
    }

    void delivery(int step, long latencyMicros) {
        if (valid(step)) {
            slots[step].deliveries.increment();
            slots[step].latency.recordValue(Math.min(Math.max(latencyMicros, 0), StepTally.MAX_LATENCY_MICROS));
        }
    }

    void frame(int step, int payloadBytes) {
        if (valid(step)) {
            slots[step].frames.increment();
            slots[step].bytes.add(payloadBytes);
        }
    }

    /** A {@code lag} frame; counted against the step that was last seen on that connection. */
    void lag(int step) {
        if (valid(step)) {
            slots[step].lagFrames.increment();
        }
    }

    /** Every step that has seen anything, in order. */
    List<StepTally> snapshot() {
        List<StepTally> out = new ArrayList<>();
        for (int i = 0; i < MAX_STEPS; i++) {
            Slot s = slots[i];
            long frames = s.frames.sum();
            if (frames == 0 && s.lagFrames.sum() == 0) {
                continue;
            }
            Histogram h = StepTally.newHistogram();
            h.add(s.latency.copy());
            out.add(new StepTally(i, s.deliveries.sum(), frames, s.bytes.sum(), s.lagFrames.sum(), h));
        }
        return out;
    }
}
