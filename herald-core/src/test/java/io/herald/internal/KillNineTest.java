package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.Engine;
import io.herald.Engines;
import io.herald.HeraldClock;
import io.herald.History;
import io.herald.Message;
import io.herald.Publication;
import io.herald.StreamPosition;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code kill -9} loses no acknowledged publication and reuses no offset: a separate JVM
 * publishes through a disk engine and is killed (SIGKILL) mid-stream; the directory, reopened here,
 * holds every publication it acknowledged, the stream continues in the same epoch, and every offset
 * the killed process delivered live (acknowledged or not) is below every offset assigned after the
 * restart, so a client resuming from one of them skips no later publication.
 */
class KillNineTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedPublicationSurvivesKillNineAndNoDeliveredOffsetIsReused() throws Exception {
        List<Long> acked = new ArrayList<>();
        List<Long> delivered = new ArrayList<>();
        String epoch = run(acked, delivered, 300);
        long lastDelivered = delivered.stream().mapToLong(Long::longValue).max().orElseThrow();
        // a second kill, on the reopened directory: the epoch goes on, after every offset delivered before
        List<Long> more = new ArrayList<>();
        List<Long> moreDelivered = new ArrayList<>();
        assertThat(run(more, moreDelivered, 300)).isEqualTo(epoch);
        assertThat(moreDelivered.get(0)).as("first offset after the first kill").isGreaterThan(lastDelivered);
        acked.addAll(more);
        delivered.addAll(moreDelivered);
        long maxDelivered = delivered.stream().mapToLong(Long::longValue).max().orElseThrow();

        Engine engine = Engines.disk(dir, Duration.ofMillis(20));
        engine.start(new Engine.Context(new DiskEngineTest.NoSink(), HeraldClock.SYSTEM, KillNinePublisher.CONFIG));
        try {
            StreamPosition position = engine.position(KillNinePublisher.CHANNEL);
            assertThat(position.epoch()).isEqualTo(epoch);
            assertThat(position.offset()).isGreaterThanOrEqualTo(maxDelivered);
            History all = engine.history(KillNinePublisher.CHANNEL, new StreamPosition(epoch, 0), 100_000).join();
            assertThat(all.covered()).isTrue();
            List<Long> held = all.publications().stream().map(Publication::offset).toList();
            assertThat(held).containsAll(acked);
            assertThat(held).as("increasing, from 1").isSorted().doesNotHaveDuplicates().startsWith(1L);

            List<Long> after = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Publication next = engine.publish(Message.builder(KillNinePublisher.CHANNEL, "after").build()).join();
                assertThat(next.epoch()).isEqualTo(epoch);
                assertThat(next.offset()).as("never a delivered offset again").isGreaterThan(maxDelivered);
                after.add(next.offset());
            }
            assertThat(after).isSorted();
            for (long from : delivered) {
                History h = engine.history(KillNinePublisher.CHANNEL, new StreamPosition(epoch, from), 100_000).join();
                List<Long> got = h.publications().stream().map(Publication::offset).toList();
                List<Long> expected = new ArrayList<>(held.stream().filter(o -> o > from).toList());
                expected.addAll(after);
                if (h.covered()) {
                    // from a lost (delivered, uncommitted) offset: only what was published after the restart
                    assertThat(got).as("history after delivered offset %d", from).isEqualTo(expected);
                }
            }
        } finally {
            engine.close();
        }
        // a clean close leaves no gap: the next run continues right after the last offset
        Engine again = Engines.disk(dir, Duration.ofMillis(20));
        again.start(new Engine.Context(new DiskEngineTest.NoSink(), HeraldClock.SYSTEM, KillNinePublisher.CONFIG));
        try {
            StreamPosition p = again.position(KillNinePublisher.CHANNEL);
            Publication next = again.publish(Message.builder(KillNinePublisher.CHANNEL, "clean").build()).join();
            assertThat(next.position()).isEqualTo(new StreamPosition(epoch, p.offset() + 1));
            assertThat(again.history(KillNinePublisher.CHANNEL, p, 10).join().publications())
                    .extracting(Publication::offset).containsExactly(p.offset() + 1);
        } finally {
            again.close();
        }
    }

    /** Runs the publisher until it has acknowledged {@code atLeast} publications, then kills it; returns its epoch. */
    private String run(List<Long> acked, List<Long> delivered, int atLeast) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                KillNinePublisher.class.getName(), dir.toString(), "100000")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String epoch = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            // kill right after a live delivery beyond the last acknowledgement: likely not committed yet
            for (String line = ""; (acked.size() < atLeast || !line.startsWith("delivered")
                    || delivered.get(delivered.size() - 1) <= acked.get(acked.size() - 1))
                    && (line = out.readLine()) != null; ) {
                epoch = record(line, acked, delivered, epoch);
            }
            p.toHandle().destroyForcibly(); // SIGKILL, no shutdown hook, no last commit; leaves the pipe open
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (String line; (line = out.readLine()) != null; ) { // what it printed before it died
                epoch = record(line, acked, delivered, epoch);
            }
        } finally {
            p.destroyForcibly();
        }
        assertThat(acked).as("acknowledged before the kill").hasSizeGreaterThanOrEqualTo(atLeast);
        return epoch;
    }

    private static String record(String line, List<Long> acked, List<Long> delivered, String epoch) {
        String[] f = line.split(" ");
        if (f[0].equals("acked")) {
            acked.add(Long.parseLong(f[2]));
            return f[1];
        }
        if (f[0].equals("delivered")) {
            delivered.add(Long.parseLong(f[2]));
            return f[1];
        }
        return epoch;
    }
}
