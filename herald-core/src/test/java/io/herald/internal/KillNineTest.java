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
 * A {@code kill -9} loses no acknowledged publication: a separate JVM publishes through a disk
 * engine and is killed (SIGKILL) mid-stream; the directory, reopened here, holds every publication
 * it acknowledged, and the stream continues in the same epoch.
 */
class KillNineTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedPublicationSurvivesKillNineAndTheStreamContinuesInItsEpoch() throws Exception {
        List<Long> acked = new ArrayList<>();
        String epoch = run(acked, 300);
        long lastAcked = acked.get(acked.size() - 1);
        // a second kill, on the reopened directory: the epoch and offsets go on across both
        List<Long> more = new ArrayList<>();
        assertThat(run(more, 300)).isEqualTo(epoch);
        assertThat(more.get(0)).isGreaterThan(lastAcked);
        acked.addAll(more);

        Engine engine = Engines.disk(dir, Duration.ofMillis(20));
        engine.start(new Engine.Context(new DiskEngineTest.NoSink(), HeraldClock.SYSTEM, KillNinePublisher.CONFIG));
        try {
            StreamPosition position = engine.position(KillNinePublisher.CHANNEL);
            assertThat(position.epoch()).isEqualTo(epoch);
            assertThat(position.offset()).isGreaterThanOrEqualTo(acked.get(acked.size() - 1));
            History all = engine.history(KillNinePublisher.CHANNEL, new StreamPosition(epoch, 0), 100_000).join();
            assertThat(all.covered()).isTrue();
            List<Long> held = all.publications().stream().map(Publication::offset).toList();
            assertThat(held).containsAll(acked);
            assertThat(held).as("contiguous from 1").hasSize((int) position.offset());
            Publication next = engine.publish(Message.builder(KillNinePublisher.CHANNEL, "after").build()).join();
            assertThat(next.position()).isEqualTo(new StreamPosition(epoch, position.offset() + 1));
        } finally {
            engine.close();
        }
    }

    /** Runs the publisher until it has acknowledged {@code atLeast} publications, then kills it; returns its epoch. */
    private String run(List<Long> acked, int atLeast) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                KillNinePublisher.class.getName(), dir.toString(), "100000")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String epoch = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; acked.size() < atLeast && (line = out.readLine()) != null; ) {
                String[] f = line.split(" ");
                if (f[0].equals("acked")) {
                    epoch = f[1];
                    acked.add(Long.parseLong(f[2]));
                }
            }
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no last commit
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(acked).as("acknowledged before the kill").hasSizeGreaterThanOrEqualTo(atLeast);
        return epoch;
    }
}
