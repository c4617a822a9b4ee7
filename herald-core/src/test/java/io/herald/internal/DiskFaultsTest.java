package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.Engine;
import io.herald.Engines;
import io.herald.ErrorCode;
import io.herald.HeraldException;
import io.herald.History;
import io.herald.ManualClock;
import io.herald.Message;
import io.herald.Publication;
import io.herald.StreamPosition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk engine when its disk is slow, full or overwhelmed: a publish never waits for the disk,
 * the store refuses at once what it cannot take, and a write error fails publishes until the disk
 * has room again. The disk is a {@link FaultyDisk}: its syncs wait while the test holds it, and
 * its writes fail while it is full.
 */
@Timeout(60) // a publish that blocked on the held disk would hang: the timeout fails the test
class DiskFaultsTest {
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock();
    private final List<Publication> delivered = new CopyOnWriteArrayList<>();
    private FaultyDisk disk;
    private Engine engine;

    @AfterEach
    void close() {
        if (disk != null) {
            disk.full(false);
            disk.release();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private Engine open(int bound) {
        disk = FaultyDisk.at(dir);
        engine = disk.engine(Duration.ofMillis(10), bound);
        engine.start(new Engine.Context(new DiskEngineTest.NoSink() {
            @Override
            public void deliver(Publication p) {
                delivered.add(p);
            }
        }, clock, DiskEngineTest.CONFIG));
        return engine;
    }

    private CompletableFuture<Publication> publish(String channel) {
        return engine.publish(Message.builder(channel, "e").build());
    }

    private static HeraldException failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        return HeraldException.from(f.handle((v, e) -> e).join());
    }

    @Test
    void aPublishReturnsAtOnceWhileItsCommitWaitsForTheDisk() {
        open(DiskStore.DEFAULT_BOUND);
        publish("hist:a").join();
        disk.hold();
        List<CompletableFuture<Publication>> pending = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) { // several times what the old store reserved per sync on the publish path
            pending.add(publish(i % 2 == 0 ? "hist:a" : "hist:b"));
        }
        assertThat(pending).as("not acknowledged before the disk has them").noneMatch(CompletableFuture::isDone);
        assertThat(delivered).as("live delivery does not wait for the disk").hasSize(5_001);

        disk.release();
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        assertThat(engine.position("hist:a").offset()).isEqualTo(2_501);
    }

    @Test
    void pastTheBoundAPublishIsRefusedAtOnceBeforeItGetsAnOffset() {
        open(64);
        disk.hold();
        List<CompletableFuture<Publication>> accepted = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            accepted.add(publish("hist:a"));
        }
        CompletableFuture<Publication> refused = publish("hist:a");

        HeraldException e = failure(refused);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.getMessage()).contains("cannot keep up").contains("retry later");
        assertThat(failure(publish("hist:other")).code()).as("the bound is the store's").isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(engine.position("hist:a").offset()).as("a refused publication gets no offset").isEqualTo(64);
        assertThat(delivered).as("nor reaches a subscriber").hasSize(64);
        assertThat(accepted).noneMatch(CompletableFuture::isDone);

        disk.release();
        CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).join();
        assertThat(publish("hist:a").join().offset()).isEqualTo(65);
    }

    @Test
    void aWriteErrorFailsPublishesWithUnavailableUntilTheDiskHasRoomAgain() {
        open(DiskStore.DEFAULT_BOUND);
        Publication before = publish("hist:w").join();
        disk.full(true);

        CompletableFuture<Publication> unwritten = publish("hist:w");
        await().until(unwritten::isDone);
        HeraldException e = failure(unwritten);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(e.getMessage()).contains("cannot write history to " + dir.resolve(HistoryFile.FILE_NAME))
                .contains("No space left on device").contains("until the disk is writable again");
        HeraldException refused = failure(publish("hist:w"));
        assertThat(refused.getMessage()).isEqualTo(e.getMessage());
        assertThat(engine.position("hist:w").offset()).as("a refused publication gets no offset").isEqualTo(2);
        Engine.Health health = engine.health().join();
        assertThat(health.up()).isFalse();
        assertThat(health.detail()).contains("No space left on device");

        disk.full(false); // the store retries every second
        await().until(() -> engine.health().join().up());
        Publication after = publish("hist:w").join();
        assertThat(after.offset()).isEqualTo(3);

        engine.close();
        engine = Engines.disk(dir);
        engine.start(new Engine.Context(new DiskEngineTest.NoSink(), clock, DiskEngineTest.CONFIG));
        History h = engine.history("hist:w", new StreamPosition(before.epoch(), 0), 10).join();
        assertThat(h.publications()).as("what failed to be written, delivered live, is written once the disk has room")
                .extracting(Publication::offset).containsExactly(1L, 2L, 3L);
        assertThat(engine.position("hist:w").offset()).as("closed cleanly after the recovery").isEqualTo(3);
    }

    @Test
    void closeWritesEverythingPublishedBeforeIt() throws Exception {
        open(DiskStore.DEFAULT_BOUND);
        List<CompletableFuture<Publication>> pending = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            pending.add(publish("hist:c" + (i % 7)));
        }
        engine.close();
        assertThat(pending).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(failure(publish("hist:c0")).getMessage()).contains("engine is closed");
        engine = Engines.disk(dir);
        engine.start(new Engine.Context(new DiskEngineTest.NoSink(), clock, DiskEngineTest.CONFIG));
        for (int c = 0; c < 7; c++) {
            String channel = "hist:c" + c;
            assertThat(engine.position(channel).offset()).as(channel)
                    .isEqualTo(pending.stream().filter(f -> f.join().channel().equals(channel)).count());
        }
    }
}
