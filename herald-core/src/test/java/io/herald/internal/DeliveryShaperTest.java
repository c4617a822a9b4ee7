package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.NamespaceOptions;
import io.herald.Preset;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SPEC §3's rules, one by one, on a manual clock. */
class DeliveryShaperTest {
    private static final NamespaceOptions DEFAULTS = NamespaceOptions.DEFAULTS; // 100 ms, 50, 10/s

    @Test
    void plainMessagesCollectForTheBatchIntervalThenGoAsOneFrame() {
        ShaperHarness h = new ShaperHarness(DEFAULTS);
        h.lead();
        h.plain("a");
        h.advanceMillis(30);
        h.plain("b");
        h.advanceMillis(69);
        assertThat(h.sent).isEmpty();
        h.advanceMillis(1);
        assertThat(h.sent).hasSize(1);
        assertThat(h.sent.get(0).frame()).extracting(Encoded::offset).containsExactly(2L, 3L);
    }

    @Test
    void aMessageThatFindsTheStreamQuietGoesAtOnceAndTheIntervalStartsFromIt() {
        ShaperHarness h = new ShaperHarness(DEFAULTS);
        h.plain("a");
        assertThat(h.sent).singleElement().satisfies(s -> assertThat(s.atNanos()).isZero());
        h.advanceMillis(40);
        h.plain("b"); // within the interval that began with a: batched until 100 ms
        h.advanceMillis(59);
        assertThat(h.sent).hasSize(1);
        h.advanceMillis(1);
        assertThat(h.sent).hasSize(2);
        assertThat(h.sent.get(1).atNanos()).isEqualTo(100_000_000L);
        h.advanceMillis(150); // quiet again for more than an interval
        h.plain("c");
        assertThat(h.sent).hasSize(3);
        assertThat(h.sent.get(2).atNanos()).isEqualTo(250_000_000L);
    }

    @Test
    void aMessageThatArrivesWhileTheLastFrameIsStillGoingOutWaitsForItsBatch() {
        ShaperHarness h = new ShaperHarness(DEFAULTS);
        h.plain("a"); // leads; its pass over the members takes 250 ms
        h.busy = true;
        h.advanceMillis(200); // long since the last frame, but it is still being written
        h.plain("b");
        assertThat(h.sent).hasSize(1);
        h.plain("c");
        h.advanceMillis(100);
        h.busy = false;
        assertThat(h.sent).hasSize(2);
        assertThat(h.sent.get(1).frame()).extracting(Encoded::offset).containsExactly(2L, 3L);
        assertThat(h.sent.get(1).atNanos()).isEqualTo(300_000_000L);
    }

    @Test
    void aQuietStreamStillThrottlesAKeySentWithinItsPeriod() {
        ShaperHarness h = new ShaperHarness(NamespaceOptions.newBuilder().batchInterval(Duration.ofMillis(10)).build());
        h.keyed("progress"); // leading edge: at once; the key's next slot is at 100 ms (10/s)
        h.advanceMillis(50); // quiet for 5 batch intervals, but not for the key's period
        h.keyed("progress");
        assertThat(h.sent).hasSize(1);
        h.advanceMillis(50);
        assertThat(h.offsets()).containsExactly(1L, 2L);
        assertThat(h.sent.get(1).atNanos()).isEqualTo(100_000_000L);
    }

    @Test
    void fullBatchGoesAtOnce() {
        ShaperHarness h = new ShaperHarness(DEFAULTS);
        h.lead();
        for (int i = 0; i < 50; i++) {
            h.plain("p");
        }
        assertThat(h.sent).hasSize(1);
        assertThat(h.sent.get(0).frame()).hasSize(50);
        assertThat(h.shaper.pendingCount()).isZero();
    }

    @Test
    void loneMessageIsAFrameOfOne() {
        ShaperHarness h = new ShaperHarness(DEFAULTS);
        h.plain("a");
        h.advanceMillis(100);
        assertThat(h.sent).singleElement().satisfies(s -> assertThat(s.frame()).hasSize(1));
    }

    @Test
    void keyedValuesWithinABatchCoalesceToTheLatest() {
        ShaperHarness h = new ShaperHarness(DEFAULTS);
        h.lead();
        h.keyed("progress");
        h.plain("host");
        h.keyed("progress");
        Encoded last = h.keyed("progress");
        h.advanceMillis(100);
        assertThat(h.offsets()).containsExactly(3L, last.offset());
        assertThat(h.shaper.coalesced()).isEqualTo(2);
    }

    @Test
    void aKeyGoesOutAtMostRateTimesASecond() {
        ShaperHarness h = new ShaperHarness(DEFAULTS);
        for (int i = 0; i < 600; i++) { // 60/s for 10 s
            h.keyed("progress");
            h.advanceTo(h.now + 16_666_667);
        }
        h.advanceMillis(1000);
        List<Long> times = h.sent.stream().map(ShaperHarness.Sent::atNanos).toList();
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 1)).isGreaterThanOrEqualTo(100_000_000L);
        }
        assertThat(times.size()).isBetween(85, 101);
        assertThat(h.offsets().get(h.offsets().size() - 1)).isEqualTo(600L);
    }

    @Test
    void throttledKeyHoldsBackWhatFollowsInsteadOfReordering() {
        // A small batch size makes the batch go before the key's period ends.
        ShaperHarness h = new ShaperHarness(NamespaceOptions.newBuilder().batchMaxSize(2).build());
        h.keyed("k");
        h.plain("p1"); // frame [k, p1] at t=0; k next allowed at 100 ms
        h.keyed("k");
        h.plain("p2"); // k is throttled: [k, p2] waits
        assertThat(h.offsets()).containsExactly(1L, 2L);
        h.advanceMillis(99);
        assertThat(h.offsets()).containsExactly(1L, 2L);
        h.advanceMillis(1);
        assertThat(h.offsets()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void criticalFlushesPendingFirstThenGoesAlone() {
        ShaperHarness h = new ShaperHarness(DEFAULTS);
        h.lead();
        h.plain("host");
        h.keyed("progress");
        h.critical("phaseStarted");
        assertThat(h.sent).hasSize(2);
        assertThat(h.sent.get(0).frame()).extracting(Encoded::offset).containsExactly(2L, 3L);
        assertThat(h.sent.get(1).frame()).extracting(Encoded::offset).containsExactly(4L);
    }

    @Test
    void criticalFlushesEvenAThrottledKeySoItsLatestValuePrecedesTheCritical() {
        ShaperHarness h = new ShaperHarness(DEFAULTS);
        h.keyed("progress");
        h.advanceMillis(100); // progress sent at 100 ms
        h.keyed("progress"); // would wait until 200 ms
        h.advanceMillis(10);
        h.critical("scanCompleted");
        assertThat(h.offsets()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void passthroughSendsEveryMessageAloneAtOnce() {
        ShaperHarness h = new ShaperHarness(NamespaceOptions.newBuilder().preset(Preset.PASSTHROUGH).build());
        h.keyed("progress");
        h.keyed("progress");
        h.plain("host");
        assertThat(h.sent).hasSize(3).allSatisfy(s -> assertThat(s.frame()).hasSize(1));
        assertThat(h.shaper.coalesced()).isZero();
    }

    @Test
    void nothingPendingMeansNoFrames() {
        ShaperHarness h = new ShaperHarness(DEFAULTS);
        h.advanceMillis(1000);
        assertThat(h.sent).isEmpty();
    }

    /**
     * For random interleavings of plain, keyed and critical messages at random times, under each
     * preset: every critical and plain message goes out exactly once, in offset order; the last
     * value of every key goes out; nothing twice; frames never exceed the batch size; and outside
     * critical flushes no key goes out more often than its rate allows.
     */
    @Test
    void randomizedStreamsKeepEveryGuarantee() {
        Random random = new Random(20261122);
        for (int run = 0; run < 300; run++) {
            NamespaceOptions options = switch (run % 4) {
                case 0 -> DEFAULTS;
                case 1 -> NamespaceOptions.newBuilder().preset(Preset.LARGE).build();
                case 2 -> NamespaceOptions.newBuilder().preset(Preset.REALTIME).build();
                default -> NamespaceOptions.newBuilder().batchMaxSize(1 + random.nextInt(5))
                        .batchInterval(Duration.ofMillis(1 + random.nextInt(300))).throttleRate(1 + random.nextInt(30)).build();
            };
            checkRun(options, random, run);
        }
    }

    private static void checkRun(NamespaceOptions options, Random random, int run) {
        ShaperHarness h = new ShaperHarness(options);
        Set<Long> mustArrive = new HashSet<>();
        Map<String, Long> lastOfKey = new HashMap<>();
        int n = 50 + random.nextInt(400);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(100);
            Encoded e;
            if (kind < 5) {
                e = h.critical("c");
                mustArrive.add(e.offset());
            } else if (kind < 55) {
                String key = "k" + random.nextInt(4);
                e = h.keyed(key);
                lastOfKey.put(key, e.offset());
            } else {
                e = h.plain("p");
                mustArrive.add(e.offset());
            }
            h.advanceTo(h.now + (long) (random.nextDouble() * random.nextDouble() * 150_000_000L));
        }
        h.advanceMillis(2000);

        List<Long> offsets = h.offsets();
        String where = "run " + run + " with " + options;
        for (int i = 1; i < offsets.size(); i++) {
            assertThat(offsets.get(i)).as(where + ": increasing offsets").isGreaterThan(offsets.get(i - 1));
        }
        assertThat(offsets).as(where + ": every critical and plain").containsAll(mustArrive);
        assertThat(offsets).as(where + ": the last value of every key").containsAll(lastOfKey.values());
        assertThat(h.shaper.pendingCount()).isZero();
        long period = 1_000_000_000L / options.throttleRate();
        Map<String, Long> lastSentAt = new HashMap<>();
        for (ShaperHarness.Sent s : h.sent) {
            assertThat(s.frame().size()).isLessThanOrEqualTo(options.batchMaxSize());
            for (Encoded e : s.frame()) {
                if (e.key() == null) {
                    continue;
                }
                Long before = lastSentAt.put(e.key(), s.atNanos());
                if (before != null && !s.forced()) {
                    assertThat(s.atNanos() - before).as(where + ": rate of " + e.key()).isGreaterThanOrEqualTo(period);
                }
            }
        }
    }
}
