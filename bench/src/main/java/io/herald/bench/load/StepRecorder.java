package io.herald.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Records deliveries per publish step as they arrive, from any number of event loops at once.
 * Steps are the {@code s} the publisher writes into each message, 0 to {@link #MAX_STEPS} - 1;
 * others are ignored. A frame's messages are recorded together ({@link FrameBatch}): one lock per
 * step and frame rather than several atomic operations per message, which at 2M deliveries/s was
 * a noticeable share of the load generator's core. Thread-safe.
 */
final class StepRecorder {
    static final int MAX_STEPS = 64;

    private final Slot[] slots = new Slot[MAX_STEPS];

    /** One step's tallies; guarded by itself. */
    private static final class Slot {
        long deliveries;
        long frames;
        long bytes;
        long lagFrames;
        final Histogram latency = StepTally.newHistogram();
    }

    /** The messages found in one frame, kept by the reading thread until {@link #deliveries}. Not thread-safe. */
    static final class FrameBatch {
        private int[] steps = new int[64];
        private long[] micros = new long[64];
        private int size;

        void clear() {
            size = 0;
        }

        void add(int step, long latencyMicros) {
            if (size == steps.length) {
                steps = Arrays.copyOf(steps, size * 2);
                micros = Arrays.copyOf(micros, size * 2);
            }
            steps[size] = step;
            micros[size++] = latencyMicros;
        }
    }

    StepRecorder() {
        for (int i = 0; i < MAX_STEPS; i++) {
            slots[i] = new Slot();
        }
    }

    static boolean valid(int step) {
        return step >= 0 && step < MAX_STEPS;
    }

    /** One message on its own (tests; the load generator records a frame's messages with {@link #deliveries}). */
    void delivery(int step, long latencyMicros) {
        FrameBatch one = new FrameBatch();
        one.add(step, latencyMicros);
        deliveries(one);
    }

    /** Records every message of {@code batch}: each run of one step under that step's lock. */
    void deliveries(FrameBatch batch) {
        int i = 0;
        while (i < batch.size) {
            int step = batch.steps[i];
            int j = i;
            while (j < batch.size && batch.steps[j] == step) {
                j++;
            }
            if (valid(step)) {
                Slot s = slots[step];
                synchronized (s) {
                    s.deliveries += j - i;
                    for (int k = i; k < j; k++) {
                        s.latency.recordValue(Math.min(Math.max(batch.micros[k], 0), StepTally.MAX_LATENCY_MICROS));
                    }
                }
            }
            i = j;
        }
    }

    void frame(int step, int payloadBytes) {
        if (valid(step)) {
            Slot s = slots[step];
            synchronized (s) {
                s.frames++;
                s.bytes += payloadBytes;
            }
        }
    }

    /** A {@code lag} frame; counted against the step that was last seen on that connection. */
    void lag(int step) {
        if (valid(step)) {
            Slot s = slots[step];
            synchronized (s) {
                s.lagFrames++;
            }
        }
    }

    /** Every step that has seen anything, in order. */
    List<StepTally> snapshot() {
        List<StepTally> out = new ArrayList<>();
        for (int i = 0; i < MAX_STEPS; i++) {
            Slot s = slots[i];
            synchronized (s) {
                if (s.frames == 0 && s.lagFrames == 0) {
                    continue;
                }
                out.add(new StepTally(i, s.deliveries, s.frames, s.bytes, s.lagFrames, s.latency.copy()));
            }
        }
        return out;
    }
}
