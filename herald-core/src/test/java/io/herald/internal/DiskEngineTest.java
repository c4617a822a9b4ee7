package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.Engine;
import io.herald.Engines;
import io.herald.ErrorCode;
import io.herald.HeraldConfig;
import io.herald.HeraldException;
import io.herald.History;
import io.herald.HistoryStats;
import io.herald.HistoryTotals;
import io.herald.ManualClock;
import io.herald.Message;
import io.herald.NamespaceOptions;
import io.herald.Publication;
import io.herald.StreamPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the disk engine adds to the {@link Engine} contract: its streams outlive it. */
class DiskEngineTest {
    static final HeraldConfig CONFIG = HeraldConfig.newBuilder().namespaces(Map.of(
            "hist", NamespaceOptions.newBuilder().historySize(5).historyTtl(Duration.ofMinutes(1)).build(),
            "ret", NamespaceOptions.newBuilder().retained(true).retainedMaxKeys(3).historySize(2).build())).build();

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock();
    private Engine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private Engine open() {
        return open(Engines.disk(dir, Duration.ofMillis(10)));
    }

    private Engine open(Engine e) {
        e.start(new Engine.Context(new NoSink(), clock, CONFIG));
        engine = e;
        return e;
    }

    private Engine reopen() {
        engine.close();
        return open();
    }

    private Publication publish(String channel, String event, String key) {
        return engine.publish(Message.builder(channel, event).key(key).build()).join();
    }

    private static List<Long> offsets(History h) {
        return h.publications().stream().map(Publication::offset).toList();
    }

    @Test
    void historyOffsetsEpochAndRetainedStateSurviveARestart() {
        open();
        for (int i = 1; i <= 7; i++) {
            publish("hist:a", "e" + i, null);
        }
        publish("ret:s", "theme", "ui.theme");
        publish("ret:s", "lang", null);
        Publication theme = publish("ret:s", "theme", "ui.theme");
        StreamPosition client = new StreamPosition(engine.position("hist:a").epoch(), 4);
        StreamPosition before = engine.position("hist:a");

        reopen();

        assertThat(engine.position("hist:a")).isEqualTo(before);
        assertThat(engine.historyStats("hist:a")).contains(new HistoryStats(5, 3, 7, 5 * "null".length()));
        assertThat(engine.historyTotals()).as("restored history counts, no eviction")
                .isEqualTo(new HistoryTotals(2, 7, 7 * "null".length(), 0, 0));
        History missed = engine.history("hist:a", client, 100).join();
        assertThat(missed.covered()).isTrue();
        assertThat(offsets(missed)).containsExactly(5L, 6L, 7L);
        assertThat(missed.publications()).extracting(Publication::event).containsExactly("e5", "e6", "e7");
        assertThat(engine.history("hist:a", new StreamPosition(before.epoch(), 1), 10).join().covered())
                .as("older than history.size").isFalse();
        assertThat(engine.retained("ret:s").join()).extracting(Publication::event).containsExactly("lang", "theme");
        assertThat(engine.retained("ret:s").join().get(1)).isEqualTo(theme);
        Publication next = publish("hist:a", "e8", null);
        assertThat(next.position()).isEqualTo(new StreamPosition(before.epoch(), 8));
        assertThat(engine.history("hist:a", client, 100).join().publications()).extracting(Publication::offset)
                .containsExactly(5L, 6L, 7L, 8L);
    }

    @Test
    void aRemovedChannelStaysRemovedAfterARestart() {
        open();
        Publication old = publish("hist:gone", "e", null);
        publish("ret:gone", "e", "k");
        engine.remove("hist:gone").join();
        engine.remove("ret:gone").join();
        Publication fresh = publish("hist:gone", "again", null);
        reopen();
        assertThat(engine.history("hist:gone", old.position(), 10).join().covered()).isFalse();
        assertThat(engine.position("hist:gone")).isEqualTo(fresh.position());
        assertThat(engine.retained("ret:gone").join()).isEmpty();
    }

    @Test
    void aRemovedRetainedKeyStaysRemoved() {
        open();
        publish("ret:keys", "e", "k1");
        publish("ret:keys", "e", "k2");
        assertThat(engine.removeRetained("ret:keys", "k1").join()).isTrue();
        publish("ret:keys", "e", "k2"); // a commit after the removal
        reopen();
        assertThat(engine.retained("ret:keys").join()).extracting(p -> p.message().key().orElseThrow())
                .containsExactly("k2");
    }

    @Test
    void sizeAndTtlEvictionBoundTheFileAsTheyBoundMemory() {
        open();
        publish("hist:ttl", "a", null);
        publish("hist:ttl", "b", null);
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 50; i++) {
            publish("hist:size", "e", null);
        }
        engine.sweep().join();
        engine.publish(Message.builder("hist:other", "e").build()).join(); // commits the sweep's eviction
        engine.close();
        engine = null;
        assertThat(held()).as("what the file holds").containsExactlyInAnyOrder(
                "hist:size 46", "hist:size 47", "hist:size 48", "hist:size 49", "hist:size 50", "hist:other 1");
        open();
        History ttl = engine.history("hist:ttl", StreamPosition.NONE, 10).join();
        assertThat(ttl.publications()).isEmpty();
        assertThat(ttl.position().offset()).as("eviction keeps the offset").isEqualTo(2);
        assertThat(offsets(engine.history("hist:size", StreamPosition.NONE, 10).join())).containsExactly(46L, 47L, 48L, 49L, 50L);
    }

    @Test
    void aBatchWrittenInOneCommitEndsAsIfWrittenOneByOne() {
        open();
        List<java.util.concurrent.CompletableFuture<Publication>> futures = new java.util.ArrayList<>();
        for (int i = 1; i <= 2_000; i++) { // far more than one commit's worth and than history.size
            futures.add(engine.publish(Message.builder("hist:burst", "e" + i).build()));
            futures.add(engine.publish(Message.builder("ret:burst", "e").key("k" + (i % 3)).build()));
            if (i == 1_000) {
                engine.removeRetained("ret:burst", "k1");
                engine.remove("hist:burst");
            }
        }
        futures.forEach(java.util.concurrent.CompletableFuture::join);
        StreamPosition burst = engine.position("hist:burst");
        engine.close();
        engine = null;
        // a record goes once the stream holds none of its publications: at most one holds evicted ones
        assertThat(held()).filteredOn(k -> k.startsWith("hist:burst ")).endsWith(
                "hist:burst 996", "hist:burst 997", "hist:burst 998", "hist:burst 999", "hist:burst 1000")
                .allMatch(k -> Long.parseLong(k.substring(11)) > 1000 - 2 * 5);
        open();
        assertThat(engine.position("hist:burst")).isEqualTo(burst);
        assertThat(offsets(engine.history("hist:burst", StreamPosition.NONE, 10).join()))
                .containsExactly(996L, 997L, 998L, 999L, 1000L);
        assertThat(engine.retained("ret:burst").join()).extracting(p -> p.message().key().orElseThrow())
                .containsExactly("k0", "k1", "k2");
        assertThat(engine.retained("ret:burst").join()).extracting(Publication::offset)
                .containsExactly(1998L, 1999L, 2000L);
    }

    @Test
    void afterACrashNoOffsetDeliveredBeforeIsAssignedAgain() throws Exception {
        open();
        Publication first = publish("hist:r", "e", null);
        engine.close();
        // a commit every hour, the first an hour after the start: nothing below is committed
        open(Engines.disk(dir, Duration.ofHours(1)));
        List<CompletableFuture<Publication>> pending = new java.util.ArrayList<>();
        for (int i = 0; i < 3_000; i++) { // delivered live, never committed
            pending.add(engine.publish(Message.builder("hist:r", "e").build()));
        }
        long last = engine.position("hist:r").offset();
        assertThat(last).isEqualTo(3_001);
        assertThat(pending).noneMatch(CompletableFuture::isDone);
        crash(engine);
        engine = null;

        open();
        StreamPosition position = engine.position("hist:r");
        assertThat(position.epoch()).isEqualTo(first.epoch());
        assertThat(position.offset()).as("the last committed offset and the most a channel may run ahead of it")
                .isEqualTo(1 + DiskStore.DEFAULT_BOUND).isGreaterThan(last);
        History fromLost = engine.history("hist:r", new StreamPosition(first.epoch(), last), 10).join();
        assertThat(fromLost.covered()).isTrue();
        assertThat(fromLost.publications()).isEmpty();
        Publication next = publish("hist:r", "after", null);
        assertThat(next.offset()).isEqualTo(position.offset() + 1);
        assertThat(offsets(engine.history("hist:r", new StreamPosition(first.epoch(), 0), 10).join()))
                .containsExactly(1L, next.offset());
        assertThat(offsets(engine.history("hist:r", new StreamPosition(first.epoch(), 1), 10).join()))
                .containsExactly(next.offset());
        assertThat(offsets(engine.history("hist:r", new StreamPosition(first.epoch(), 2), 10).join()))
                .as("from inside the gap").containsExactly(next.offset());

        crash(engine); // a second crash, before anything more was committed: still past every offset delivered
        engine = null;
        open();
        assertThat(engine.position("hist:r").offset()).isEqualTo(next.offset() + DiskStore.DEFAULT_BOUND);
        reopen();
        assertThat(engine.position("hist:r").offset()).as("a clean close leaves no gap")
                .isEqualTo(next.offset() + DiskStore.DEFAULT_BOUND);
    }

    /** Stops the engine's store as a kill -9 would: no last commit, the file not marked as closed cleanly. */
    static void crash(Engine e) throws Exception {
        java.lang.reflect.Field storeField = MemoryEngine.class.getDeclaredField("store");
        storeField.setAccessible(true);
        ((DiskStore) storeField.get(e)).abandon();
    }

    @Test
    void aFileOfTheEarlierFormatIsReadAndRewritten() {
        Path file = dir.resolve(HistoryFile.FILE_NAME);
        MVStore old = MVStore.open(file.toString());
        MVMap<String, byte[]> history = old.openMap("history");
        for (long o = 3; o <= 5; o++) {
            Publication p = new Publication(Message.builder("hist:old", "e" + o).build(), "ep1", o, clock.epochMillis());
            history.put(String.format("hist:old %016x", o), FormatOne.publication(p));
        }
        old.<String, String>openMap("streams").put("hist:old", "ep1 5 0 1005");
        old.<String, String>openMap("reserved").put("hist:old", "ep1 2048");
        old.close();

        open();
        StreamPosition position = engine.position("hist:old");
        assertThat(position.epoch()).isEqualTo("ep1");
        assertThat(position.offset()).as("no clean stop recorded: past what the old reservation covered")
                .isEqualTo(5 + DiskStore.DEFAULT_BOUND);
        assertThat(offsets(engine.history("hist:old", new StreamPosition("ep1", 2), 10).join())).containsExactly(3L, 4L, 5L);
        engine.close();
        engine = null;
        assertThat(held()).containsExactly("hist:old 3", "hist:old 4", "hist:old 5");
        MVStore mv = MVStore.open(file.toString());
        try {
            assertThat(mv.getMapNames()).doesNotContain("history", "reserved");
        } finally {
            mv.close();
        }
    }

    @Test
    void aLogOfFormatOneRecordsIsReadAndKeptBesideNewRecords() {
        Path file = dir.resolve(HistoryFile.FILE_NAME);
        MVStore old = MVStore.open(file.toString());
        long t = clock.epochMillis();
        List<Publication> earlier = List.of(
                new Publication(Message.builder("hist:v1", "e1").dataJson("{\"n\":1}").build(), "ep1", 1, t + 1),
                new Publication(Message.builder("hist:v1", "e2").key("k").critical(true).build(), "ep1", 2, t + 2));
        old.openMap(HistoryFile.LOG, HistoryFile.logType()).put(1L,
                FormatOne.record(new HistoryRecord("hist:v1", "ep1", 2, 1, 0, t + 2, earlier)));
        Publication kept = new Publication(Message.builder("ret:v1", "theme").dataJson("\"dark\"").key("ui").build(), "ep2", 3, t + 3);
        old.openMap(HistoryFile.LOG, HistoryFile.logType()).put(2L,
                FormatOne.record(new HistoryRecord("ret:v1", "ep2", 3, 3, 0, t + 3, List.of(kept))));
        old.<String, byte[]>openMap("retained").put("ret:v1 ui", FormatOne.publication(kept));
        old.<String, String>openMap("store").put("clean", "true");
        old.close();

        open();
        assertThat(engine.position("hist:v1")).isEqualTo(new StreamPosition("ep1", 2));
        assertThat(engine.history("hist:v1", new StreamPosition("ep1", 0), 10).join().publications()).isEqualTo(earlier);
        assertThat(engine.retained("ret:v1").join()).containsExactly(kept);
        Publication later = publish("hist:v1", "e3", null);
        reopen();

        assertThat(engine.history("hist:v1", new StreamPosition("ep1", 0), 10).join().publications())
                .extracting(Publication::offset).containsExactly(1L, 2L, 3L);
        assertThat(engine.history("hist:v1", new StreamPosition("ep1", 2), 10).join().publications()).containsExactly(later);
        assertThat(engine.retained("ret:v1").join()).containsExactly(kept);
        engine.close();
        engine = null;
        assertThat(held()).containsExactly("hist:v1 1", "hist:v1 2", "ret:v1 3", "hist:v1 3");
    }

    /** The history publications the file holds, as "channel offset", in the order of its log. */
    private List<String> held() {
        MVStore mv = MVStore.open(dir.resolve(HistoryFile.FILE_NAME).toString());
        try {
            List<String> out = new java.util.ArrayList<>();
            mv.openMap(HistoryFile.LOG, HistoryFile.logType()).values().forEach(bytes -> {
                HistoryRecord r = HistoryRecord.decode(bytes);
                r.publications().forEach(p -> out.add(r.channel() + " " + p.offset()));
            });
            return out;
        } finally {
            mv.close();
        }
    }

    @Test
    void aDamagedFileFailsTheStartNamingTheFileAndWhatToDo() throws IOException {
        Path file = dir.resolve(HistoryFile.FILE_NAME);
        Files.write(file, "this is not a history store\n".repeat(200).getBytes(StandardCharsets.UTF_8));
        Engine e = Engines.disk(dir);
        assertThatThrownBy(() -> e.start(new Engine.Context(new NoSink(), clock, CONFIG)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot open the history store " + file)
                .hasMessageContaining("The file is damaged: move it away (mv " + file);
    }

    @Test
    void aFileThatCannotBeOpenedFailsTheStartSayingWhatToCheck() throws IOException {
        Path file = Files.createDirectories(dir.resolve(HistoryFile.FILE_NAME)); // a directory where the file goes
        Engine e = Engines.disk(dir);
        assertThatThrownBy(() -> e.start(new Engine.Context(new NoSink(), clock, CONFIG)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot open the history store " + file)
                .hasMessageContaining("Check that it is a file this user may read and write");
    }

    @Test
    void aStoreWithAnUnreadablePublicationFailsTheStartAsDamaged() {
        Path file = dir.resolve(HistoryFile.FILE_NAME);
        MVStore mv = MVStore.open(file.toString());
        mv.<String, byte[]>openMap("retained").put("ret:x k", "not a publication".getBytes(StandardCharsets.UTF_8));
        mv.close();
        Engine e = Engines.disk(dir);
        assertThatThrownBy(() -> e.start(new Engine.Context(new NoSink(), clock, CONFIG)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unreadable publication of channel 'ret:x'")
                .hasMessageContaining("The file is damaged: move it away");
    }

    @Test
    void aSecondEngineOnTheSameDirectoryFailsToStart() {
        open();
        Engine second = Engines.disk(dir);
        assertThatThrownBy(() -> second.start(new Engine.Context(new NoSink(), clock, CONFIG)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Another process uses it (another Herald with the same history.dir?)");
    }

    /** The engine's sink when the test looks only at what the engine keeps. */
    static class NoSink implements Engine.PublicationSink {
        @Override
        public void deliver(Publication publication) {
        }

        @Override
        public void interrupted(String channel, StreamPosition position) {
        }

        @Override
        public boolean hasSubscribers(String channel) {
            return false;
        }
    }
}
