package io.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Engine} must do (its Javadoc, tested once): extend this class with a test that
 * returns a new engine from {@link #newEngine()}, and the whole contract runs against it. Exported
 * in herald-core's test jar ({@code <classifier>tests</classifier>}) so that an engine in another
 * module runs the same suite unchanged.
 *
 * <p>Each test starts a fresh engine on a {@link ManualClock} with the namespaces of
 * {@link #CONFIG} and a recording sink; channel names get a random suffix, so engines backed by a
 * shared store (Redis) need no cleanup between tests. Deliveries may be asynchronous: the suite
 * waits for them.
 */
public abstract class EngineConformance {
    /** History of 5 messages for 1 minute. */
    protected static final String HISTORY = "hist";
    /** Retained, at most 2 keys; history of 1 message for 1 minute. */
    protected static final String RETAINED = "ret";
    /** Channels removed 1 minute after completion or idleness. */
    protected static final String SHORT = "short";

    protected static final HeraldConfig CONFIG = HeraldConfig.newBuilder().namespaces(Map.of(
            HISTORY, NamespaceOptions.newBuilder().historySize(5).historyTtl(Duration.ofMinutes(1))
                    .cleanupDelay(Duration.ofMinutes(10)).build(),
            RETAINED, NamespaceOptions.newBuilder().retained(true).retainedMaxKeys(2).historySize(1)
                    .historyTtl(Duration.ofMinutes(1)).cleanupDelay(Duration.ofMinutes(10)).build(),
            SHORT, NamespaceOptions.newBuilder().cleanupDelay(Duration.ofMinutes(1)).build())).build();

    private static final Duration WAIT = Duration.ofSeconds(20);

    protected final ManualClock clock = new ManualClock();
    protected final RecordingSink sink = new RecordingSink();
    protected Engine engine;
    private final String suffix = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);

    /** A new, unstarted engine; each test starts and closes its own. */
    protected abstract Engine newEngine();

    @BeforeEach
    void startEngine() {
        engine = start(newEngine());
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    protected Engine start(Engine e) {
        e.start(new Engine.Context(sink, clock, CONFIG));
        return e;
    }

    /** A channel of {@code namespace} no other test (or run) uses. */
    protected String channel(String namespace, String name) {
        return namespace + ":" + name + "-" + suffix;
    }

    /** Declares interest (as the hub does for its first subscriber) so a clustered engine delivers it. */
    protected String subscribed(String namespace, String name) {
        String ch = channel(namespace, name);
        sink.subscribers.add(ch);
        engine.subscribe(ch).join();
        return ch;
    }

    protected Publication publish(String channel, String event) {
        return engine.publish(Message.builder(channel, event).build()).join();
    }

    protected Publication publish(String channel, String event, String key) {
        return engine.publish(Message.builder(channel, event).key(key).build()).join();
    }

    private History history(String channel, StreamPosition since, int limit) {
        return engine.history(channel, since, limit).join();
    }

    private static List<Long> offsets(List<Publication> ps) {
        return ps.stream().map(Publication::offset).toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long o = from; o <= to; o++) {
            out.add(o);
        }
        return out;
    }

    private void awaitDelivered(String channel, int n) {
        await().atMost(WAIT).until(() -> sink.delivered(channel).size() >= n);
    }

    // ---- offsets, epochs, ordering, delivery

    @Test
    public void offsetsStartAtOneAndAreContiguousPerChannelInOneEpoch() {
        String a = subscribed(HISTORY, "a");
        String b = subscribed(HISTORY, "b");
        StreamPosition start = engine.position(a);
        assertThat(start.offset()).isZero();
        assertThat(start.epoch()).isNotEmpty();
        List<Publication> ps = List.of(publish(a, "e"), publish(a, "e"), publish(b, "e"), publish(a, "e"));
        assertThat(ps).extracting(Publication::offset).containsExactly(1L, 2L, 1L, 3L);
        assertThat(ps).extracting(Publication::ts).containsOnly(clock.epochMillis());
        assertThat(ps.get(0).epoch()).isEqualTo(start.epoch()).isEqualTo(ps.get(3).epoch());
        assertThat(engine.position(a)).isEqualTo(new StreamPosition(start.epoch(), 3));
        assertThat(engine.peek(a)).contains(new StreamPosition(start.epoch(), 3));
        awaitDelivered(a, 3);
        assertThat(offsets(sink.delivered(a))).containsExactly(1L, 2L, 3L);
    }

    @Test
    public void peekAndHistoryDoNotCreateAChannel() {
        String ch = channel(HISTORY, "unknown");
        assertThat(engine.peek(ch)).isEmpty();
        History h = history(ch, StreamPosition.NONE, 10);
        assertThat(h.publications()).isEmpty();
        assertThat(h.position()).isEqualTo(StreamPosition.NONE);
        assertThat(history(ch, new StreamPosition("some-epoch", 0), 10).covered()).isFalse();
        assertThat(engine.peek(ch)).isEmpty();
    }

    @Test
    public void aNewEngineInstanceStartsNewEpochs() {
        String ch = channel(HISTORY, "restart");
        String epoch = engine.position(ch).epoch();
        Engine other = start(newEngine());
        try {
            assertThat(other.position(ch).epoch()).isNotEqualTo(epoch);
        } finally {
            other.close();
        }
    }

    @RepeatedTest(3)
    public void concurrentPublishersToOneChannelGetContiguousOffsetsDeliveredInOrderExactlyOnce() throws Exception {
        String ch = subscribed(HISTORY, "one");
        int threads = 4;
        int each = 500;
        List<List<Publication>> mine = runConcurrently(threads, t -> {
            List<Publication> out = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                out.add(publish(ch, "t" + t));
            }
            return out;
        });
        List<Long> all = new ArrayList<>();
        for (List<Publication> ps : mine) {
            assertThat(offsets(ps)).as("one publisher's offsets increase").isSorted();
            all.addAll(offsets(ps));
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(range(1, threads * each));
        awaitDelivered(ch, threads * each);
        Thread.sleep(100); // anything more would be a duplicate
        assertThat(offsets(sink.delivered(ch))).isEqualTo(range(1, threads * each));
        assertThat(sink.overlapped).as("deliveries of one channel overlapped").isFalse();
    }

    @Test
    public void concurrentPublishersOverManyChannelsKeepEachChannelsOrder() throws Exception {
        int channels = 40;
        int each = 25;
        List<String> names = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            names.add(subscribed(HISTORY, "many" + c));
        }
        runConcurrently(4, t -> {
            for (int i = 0; i < each; i++) {
                for (String ch : names) {
                    publish(ch, "t" + t);
                }
            }
            return null;
        });
        for (String ch : names) {
            awaitDelivered(ch, 4 * each);
            assertThat(offsets(sink.delivered(ch))).as(ch).isEqualTo(range(1, 4 * each));
        }
        assertThat(sink.overlapped).isFalse();
    }

    /**
     * The hub's subscribe race: subscribers read the position under the channel lock the sink
     * takes, while publishers run; each must then receive exactly the offsets after its position.
     */
    @RepeatedTest(3)
    public void aSubscriberStartingAtAPositionReceivesExactlyWhatFollowsIt() throws Exception {
        String ch = subscribed(HISTORY, "race");
        int publishers = 3;
        int each = 1000;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(publishers);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            done.add(CompletableFuture.runAsync(() -> {
                awaitQuietly(go);
                for (int i = 0; i < each; i++) {
                    publish(ch, "e");
                }
            }, pool));
        }
        List<RecordingSink.Joined> joined = new ArrayList<>();
        go.countDown();
        for (int i = 0; i < 20; i++) {
            joined.add(sink.join(ch, () -> engine.position(ch)));
            for (int spin = ThreadLocalRandom.current().nextInt(50_000); spin > 0; spin--) {
                Thread.onSpinWait();
            }
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        pool.shutdown();
        long last = (long) publishers * each;
        awaitDelivered(ch, (int) last);
        for (RecordingSink.Joined j : joined) {
            assertThat(j.received).as("joined at %d", j.since).isEqualTo(range(j.since + 1, last));
        }
    }

    // ---- loss: epochs and interruptions

    @Test
    public void removeLosesHistoryStartsANewEpochAtOffsetOneAndSignalsInterrupted() {
        String ch = subscribed(HISTORY, "removed");
        Publication before = publish(ch, "a");
        publish(ch, "b");
        assertThat(engine.remove(ch).join()).isTrue();
        await().atMost(WAIT).until(() -> !sink.interruptions(ch).isEmpty());
        StreamPosition restart = sink.interruptions(ch).get(0);
        assertThat(restart.offset()).isZero();
        assertThat(restart.epoch()).isNotEqualTo(before.epoch());
        Publication after = publish(ch, "c");
        assertThat(after.offset()).isEqualTo(1);
        assertThat(after.epoch()).isEqualTo(restart.epoch());
        assertThat(history(ch, before.position(), 10).covered()).isFalse();
        assertThat(engine.remove(channel(HISTORY, "never")).join()).isFalse();
    }

    @Test
    public void sweepRemovesACompletedChannelAfterItsCleanupDelayAndSignalsInterrupted() {
        String ch = channel(SHORT, "done");
        Publication last = engine.publish(Message.builder(ch, "done").finalMessage(true).build()).join();
        clock.advance(Duration.ofSeconds(59));
        assertThat(engine.sweep().join()).isZero();
        assertThat(engine.peek(ch)).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.sweep().join()).isEqualTo(1);
        await().atMost(WAIT).until(() -> !sink.interruptions(ch).isEmpty());
        assertThat(history(ch, last.position(), 10).covered()).isFalse();
        assertThat(publish(ch, "again").offset()).isEqualTo(1);
    }

    @Test
    public void sweepKeepsAnIdleChannelWithSubscribersAndRemovesOneWithout() {
        String kept = subscribed(SHORT, "watched");
        String gone = channel(SHORT, "idle");
        publish(kept, "e");
        publish(gone, "e");
        clock.advance(Duration.ofMinutes(1));
        assertThat(engine.sweep().join()).isEqualTo(1);
        assertThat(engine.position(kept).offset()).isEqualTo(1);
        assertThat(engine.peek(gone)).isEmpty();
    }

    /** Publishers race a removal: the interruption reaches the sink before the new epoch's first publication. */
    @RepeatedTest(3)
    public void anInterruptionPrecedesEveryPublicationOfTheNewEpoch() throws Exception {
        String ch = subscribed(HISTORY, "reset");
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                publish(ch, "e");
            }
        });
        for (int i = 0; i < 5; i++) {
            Thread.sleep(5);
            engine.remove(ch).join();
        }
        stop.set(true);
        publisher.get(30, TimeUnit.SECONDS);
        StreamPosition end = engine.position(ch);
        if (end.offset() > 0) {
            await().atMost(WAIT).until(() -> sink.delivered(ch).stream().anyMatch(p -> p.position().equals(end)));
        }
        String epoch = null;
        long offset = -1;
        for (Object event : sink.events(ch)) {
            if (event instanceof StreamPosition restart) {
                epoch = restart.epoch();
                offset = restart.offset();
            } else {
                Publication p = (Publication) event;
                if (epoch == null) {
                    epoch = p.epoch();
                    offset = p.offset() - 1;
                }
                assertThat(p.epoch()).as("epoch of offset %d", p.offset()).isEqualTo(epoch);
                assertThat(p.offset()).isEqualTo(offset + 1);
                offset = p.offset();
            }
        }
    }

    // ---- history

    @Test
    public void historyKeepsTheLastHistorySizeMessagesAndReportsCoverage() {
        String ch = channel(HISTORY, "size");
        for (int i = 0; i < 8; i++) {
            publish(ch, "e" + i);
        }
        String epoch = engine.position(ch).epoch();
        History all = history(ch, StreamPosition.NONE, 100);
        assertThat(offsets(all.publications())).containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(all.position()).isEqualTo(new StreamPosition(epoch, 8));
        assertThat(all.epoch()).isEqualTo(epoch);
        assertThat(all.publications()).extracting(Publication::event).containsExactly("e3", "e4", "e5", "e6", "e7");
        History fromOldest = history(ch, new StreamPosition(epoch, 3), 100);
        assertThat(fromOldest.covered()).isTrue();
        assertThat(offsets(fromOldest.publications())).containsExactly(4L, 5L, 6L, 7L, 8L);
        History tooOld = history(ch, new StreamPosition(epoch, 2), 100);
        assertThat(tooOld.covered()).isFalse();
        assertThat(tooOld.publications()).isEmpty();
        History current = history(ch, new StreamPosition(epoch, 8), 100);
        assertThat(current.covered()).isTrue();
        assertThat(current.publications()).isEmpty();
        assertThat(history(ch, new StreamPosition(epoch, 9), 100).covered()).as("from the future").isFalse();
        assertThat(history(ch, new StreamPosition("stale" + epoch, 6), 100).covered()).as("another epoch").isFalse();
    }

    @Test
    public void historyLimitReturnsTheOldestFirstAndZeroOnlyTheCoverage() {
        String ch = channel(HISTORY, "limit");
        for (int i = 0; i < 5; i++) {
            publish(ch, "e");
        }
        String epoch = engine.position(ch).epoch();
        assertThat(offsets(history(ch, new StreamPosition(epoch, 1), 2).publications())).containsExactly(2L, 3L);
        assertThat(offsets(history(ch, new StreamPosition(epoch, 3), 2).publications())).containsExactly(4L, 5L);
        History none = history(ch, new StreamPosition(epoch, 1), 0);
        assertThat(none.covered()).isTrue();
        assertThat(none.publications()).isEmpty();
        assertThatThrownBy(() -> history(ch, new StreamPosition(epoch, 1), -1))
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(HeraldException.class);
    }

    @Test
    public void historyOlderThanItsTtlIsEvictedWithoutChangingTheEpoch() {
        String ch = channel(HISTORY, "ttl");
        publish(ch, "a");
        publish(ch, "b");
        StreamPosition before = engine.position(ch);
        clock.advance(Duration.ofSeconds(30));
        publish(ch, "c");
        clock.advance(Duration.ofSeconds(29));
        assertThat(offsets(history(ch, StreamPosition.NONE, 10).publications())).containsExactly(1L, 2L, 3L);
        clock.advance(Duration.ofSeconds(1)); // a and b are a minute old
        assertThat(offsets(history(ch, StreamPosition.NONE, 10).publications())).containsExactly(3L);
        assertThat(history(ch, before, 10).covered()).isTrue();
        assertThat(history(ch, new StreamPosition(before.epoch(), 1), 10).covered()).isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(engine.sweep().join()).isZero();
        History empty = history(ch, StreamPosition.NONE, 10);
        assertThat(empty.publications()).isEmpty();
        assertThat(empty.position()).isEqualTo(new StreamPosition(before.epoch(), 3));
        assertThat(history(ch, empty.position(), 10).covered()).isTrue();
        assertThat(history(ch, before, 10).covered()).isFalse();
        assertThat(publish(ch, "d").position()).isEqualTo(new StreamPosition(before.epoch(), 4));
    }

    @Test
    public void historyStatsWhenToldAgreeWithWhatHistoryHoldsAndTotalsCountEvictionsByReason() {
        HistoryTotals before = engine.historyTotals();
        String ch = channel(HISTORY, "stats");
        String other = channel(HISTORY, "stats-other");
        assertThat(engine.historyStats(ch)).as("nothing held, nothing created").isEmpty();
        for (int i = 1; i <= 8; i++) { // data "x", "xx", … : 3 to 10 bytes of JSON text
            engine.publish(Message.builder(ch, "e").dataJson("\"" + "x".repeat(i) + "\"").build()).join();
        }
        engine.publish(Message.builder(other, "e").dataJson("[1,2]").build()).join();
        Optional<HistoryStats> told = engine.historyStats(ch);
        if (told.isEmpty()) {
            assertThat(engine.historyTotals()).as("an engine that does not tell").isEqualTo(HistoryTotals.NONE);
            return;
        }
        List<Publication> held = history(ch, StreamPosition.NONE, 100).publications();
        long bytes = held.stream().mapToLong(p -> p.message().dataLength()).sum();
        assertThat(told.get()).isEqualTo(new HistoryStats(5, 4, 8, bytes));
        assertThat(bytes).isEqualTo(6 + 7 + 8 + 9 + 10);
        assertThat(engine.historyTotals()).isEqualTo(new HistoryTotals(before.channels() + 2, before.messages() + 6,
                before.dataBytes() + bytes + 5, before.evictedBySize() + 3, before.evictedByTtl()));

        clock.advance(Duration.ofSeconds(30));
        publish(ch, "late"); // data null: 4 bytes
        clock.advance(Duration.ofSeconds(30)); // everything but "late" is a minute old
        assertThat(history(ch, StreamPosition.NONE, 100).publications()).extracting(Publication::offset).containsExactly(9L);
        assertThat(engine.historyStats(ch)).contains(new HistoryStats(1, 9, 9, 4));
        assertThat(engine.sweep().join()).isZero();
        assertThat(engine.historyStats(other)).contains(HistoryStats.NONE);
        assertThat(engine.historyTotals()).isEqualTo(new HistoryTotals(before.channels() + 1, before.messages() + 1,
                before.dataBytes() + 4, before.evictedBySize() + 4, before.evictedByTtl() + 5));

        assertThat(engine.remove(ch).join()).isTrue();
        assertThat(engine.historyStats(ch)).isEmpty();
        assertThat(engine.historyTotals()).as("a removal is not an eviction").isEqualTo(new HistoryTotals(before.channels(),
                before.messages(), before.dataBytes(), before.evictedBySize() + 4, before.evictedByTtl() + 5));
    }

    // ---- retained state

    @Test
    public void retainedKeepsTheLatestPublicationPerKeyAndTheKeyDefaultsToTheEvent() {
        String ch = channel(RETAINED, "state");
        publish(ch, "theme", "ui.theme");
        publish(ch, "lang");
        Publication latest = publish(ch, "theme", "ui.theme");
        List<Publication> state = engine.retained(ch).join();
        assertThat(state).extracting(Publication::offset).containsExactly(2L, 3L);
        assertThat(state.get(1)).isEqualTo(latest);
        assertThat(engine.retained(channel(HISTORY, "plain")).join()).isEmpty();
        publish(channel(HISTORY, "plain"), "e");
        assertThat(engine.retained(channel(HISTORY, "plain")).join()).as("namespace does not retain").isEmpty();
    }

    @Test
    public void aPublishPastRetainedMaxKeysFailsAndIsNotPublishedUntilAKeyIsRemoved() {
        String ch = subscribed(RETAINED, "full");
        publish(ch, "e", "k1");
        publish(ch, "e", "k2");
        publish(ch, "e", "k1"); // an existing key is fine
        assertThatThrownBy(() -> publish(ch, "e", "k3")).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(HeraldException.class).hasMessageContaining("retained.maxKeys")
                .satisfies(e -> assertThat(((HeraldException) e).code()).isEqualTo(ErrorCode.TOO_LARGE));
        assertThat(engine.position(ch).offset()).isEqualTo(3);
        assertThat(engine.removeRetained(ch, "k2").join()).isTrue();
        assertThat(engine.removeRetained(ch, "k2").join()).isFalse();
        assertThat(publish(ch, "e", "k3").offset()).isEqualTo(4);
        assertThat(engine.retained(ch).join()).extracting(p -> p.message().key().orElseThrow()).containsExactly("k1", "k3");
        awaitDelivered(ch, 4);
        assertThat(offsets(sink.delivered(ch))).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    public void retainedStateSurvivesHistoryEvictionAndGoesWithTheChannel() {
        String ch = channel(RETAINED, "survives");
        publish(ch, "a");
        publish(ch, "b");
        clock.advance(Duration.ofMinutes(2));
        assertThat(engine.sweep().join()).isZero();
        assertThat(history(ch, StreamPosition.NONE, 10).publications()).isEmpty();
        assertThat(engine.retained(ch).join()).extracting(Publication::event).containsExactly("a", "b");
        assertThat(engine.remove(ch).join()).isTrue();
        assertThat(engine.retained(ch).join()).isEmpty();
    }

    // ---- interest, health, close

    @Test
    public void interestCanBeDeclaredAndWithdrawn() {
        String ch = channel(HISTORY, "interest");
        engine.subscribe(ch).join();
        engine.unsubscribe(ch).join();
        engine.subscribe(ch).join();
        sink.subscribers.add(ch);
        publish(ch, "e");
        awaitDelivered(ch, 1);
        engine.unsubscribe(ch).join();
    }

    @Test
    public void healthIsUpAndAClosedEngineRefusesPublishes() {
        Engine.Health health = engine.health().join();
        assertThat(health.up()).isTrue();
        assertThat(health.engine()).isNotEmpty();
        engine.close();
        assertThatThrownBy(() -> publish(channel(HISTORY, "closed"), "e")).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(HeraldException.class);
    }

    // ---- helpers

    private interface Task<T> {
        T run(int thread) throws Exception;
    }

    private static <T> List<T> runConcurrently(int threads, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<CompletableFuture<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    try {
                        return task.run(thread);
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                }, pool));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (CompletableFuture<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Records what the engine hands over, per channel, in order: {@link Publication}s and, for
     * interruptions, the {@link StreamPosition} the stream continues from. Like the hub, it takes a
     * per-channel lock for each call, and flags two deliveries of one channel that overlap.
     */
    protected static final class RecordingSink implements Engine.PublicationSink {
        final Set<String> subscribers = ConcurrentHashMap.newKeySet();
        private final ConcurrentHashMap<String, ChannelLog> channels = new ConcurrentHashMap<>();
        volatile boolean overlapped;

        /** A subscriber the test added as the hub does: position read under the channel's lock. */
        static final class Joined {
            long since;
            final List<Long> received = new ArrayList<>();
        }

        private static final class ChannelLog {
            final List<Object> events = new ArrayList<>();
            final List<Joined> joined = new ArrayList<>();
            final AtomicLong inFlight = new AtomicLong();
        }

        private ChannelLog log(String channel) {
            return channels.computeIfAbsent(channel, c -> new ChannelLog());
        }

        @Override
        public void deliver(Publication p) {
            ChannelLog log = log(p.channel());
            if (log.inFlight.incrementAndGet() > 1) {
                overlapped = true;
            }
            synchronized (log) {
                log.events.add(p);
                for (Joined j : log.joined) {
                    if (p.offset() > j.since) {
                        j.received.add(p.offset());
                    }
                }
            }
            log.inFlight.decrementAndGet();
        }

        @Override
        public void interrupted(String channel, StreamPosition position) {
            ChannelLog log = log(channel);
            synchronized (log) {
                log.events.add(position);
                for (Joined j : log.joined) {
                    j.since = position.offset();
                }
            }
        }

        @Override
        public boolean hasSubscribers(String channel) {
            return subscribers.contains(channel);
        }

        Joined join(String channel, java.util.function.Supplier<StreamPosition> position) {
            ChannelLog log = log(channel);
            synchronized (log) {
                Joined j = new Joined();
                j.since = position.get().offset();
                log.joined.add(j);
                return j;
            }
        }

        /** Everything handed over for {@code channel}, in order. */
        public List<Object> events(String channel) {
            ChannelLog log = log(channel);
            synchronized (log) {
                return List.copyOf(log.events);
            }
        }

        public List<Publication> delivered(String channel) {
            return events(channel).stream().filter(Publication.class::isInstance).map(Publication.class::cast).toList();
        }

        public List<StreamPosition> interruptions(String channel) {
            return events(channel).stream().filter(StreamPosition.class::isInstance).map(StreamPosition.class::cast).toList();
        }
    }
}
