package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.ClientSession;
import io.herald.Herald;
import io.herald.StreamPosition;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The hub and the memory engine, with no sockets: outlets on plain event loops. */
class HubTest {
    private DefaultEventExecutorGroup loops;
    private Herald herald;

    @BeforeEach
    void start() {
        loops = new DefaultEventExecutorGroup(3);
        herald = Herald.builder().start();
    }

    @AfterEach
    void stop() throws Exception {
        herald.close();
        loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
    }

    private <T> T on(EventExecutor loop, java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    @Test
    void offsetsStartAtOneAndIncreasePerChannel() {
        assertThat(herald.publish("a:1", "e", 1).join().offset()).isEqualTo(1);
        assertThat(herald.publish("a:1", "e", 2).join().offset()).isEqualTo(2);
        assertThat(herald.publish("b:1", "e", 1).join().offset()).isEqualTo(1);
        assertThat(herald.position("a:1").offset()).isEqualTo(2);
    }

    @Test
    void epochIsStableForAChannelAndDiffersAcrossEngines() {
        String epoch = herald.position("a:1").epoch();
        herald.publish("a:1", "e", 1).join();
        assertThat(herald.position("a:1").epoch()).isEqualTo(epoch);
        try (Herald other = Herald.builder().start()) {
            assertThat(other.position("a:1").epoch()).isNotEqualTo(epoch);
        }
    }

    @Test
    void subscriberReceivesOnlyWhatFollowsItsPosition() throws Exception {
        herald.publish("a:1", "e", 1).join();
        EventExecutor loop = loops.next();
        RecordingOutlet out = new RecordingOutlet("c1", loop);
        ClientSession s = on(loop, () -> herald.openSession(out));
        StreamPosition pos = on(loop, () -> s.subscribe("a:1", Optional.empty()));
        assertThat(pos.offset()).isEqualTo(1);
        herald.publish("a:1", "e", 2).join();
        await().until(() -> out.frames.size() == 1);
        assertThat(out.offsets()).containsExactly(2L);
        assertThat(out.frames.get(0).path("type").asText()).isEqualTo("message");
        assertThat(herald.subscriberCount("a:1")).isEqualTo(1);
        on(loop, () -> s.unsubscribe("a:1"));
        assertThat(herald.subscriberCount("a:1")).isZero();
    }

    @Test
    void eventFilterAppliesPerSubscription() throws Exception {
        EventExecutor loop = loops.next();
        RecordingOutlet all = new RecordingOutlet("all", loop);
        RecordingOutlet some = new RecordingOutlet("some", loop);
        on(loop, () -> herald.openSession(all).subscribe("f:1", Optional.empty()));
        on(loop, () -> herald.openSession(some).subscribe("f:1", Optional.of(Set.of("b"))));
        herald.publish("f:1", "a", 1).join();
        herald.publish("f:1", "b", 2).join();
        await().until(() -> all.messages().size() == 2 && some.messages().size() == 1);
        assertThat(some.offsets()).containsExactly(2L);
    }

    @Test
    void closedSessionReceivesNothingAndLeavesTheHub() throws Exception {
        EventExecutor loop = loops.next();
        RecordingOutlet out = new RecordingOutlet("c", loop);
        ClientSession s = on(loop, () -> herald.openSession(out));
        on(loop, () -> s.subscribe("x:1", Optional.empty()));
        on(loop, () -> s.subscribe("x:2", Optional.empty()));
        on(loop, () -> {
            s.close();
            return null;
        });
        herald.publish("x:1", "e", 1).join();
        assertThat(herald.subscriberCount("x:1")).isZero();
        assertThat(herald.subscriberCount("x:2")).isZero();
        on(loop, () -> null); // drain the loop
        assertThat(out.frames).isEmpty();
    }

    /**
     * Publishers race subscribers joining on several loops: each subscriber must see every offset
     * after its position, in order, once: no gap, no duplicate.
     */
    @RepeatedTest(5)
    void subscribersJoiningDuringPublishesMissNothingAfterTheirPosition() throws Exception {
        int publishers = 3;
        int perPublisher = 2000;
        int subscribers = 12;
        ExecutorService pool = Executors.newFixedThreadPool(publishers);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            done.add(CompletableFuture.runAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perPublisher; i++) {
                    herald.publish("race:1", "e", i).join();
                }
            }, pool));
        }
        List<RecordingOutlet> outs = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        Random random = new Random(42);
        go.countDown();
        for (int i = 0; i < subscribers; i++) {
            EventExecutor loop = loops.next();
            RecordingOutlet out = new RecordingOutlet("s" + i, loop);
            outs.add(out);
            starts.add(on(loop, () -> herald.openSession(out).subscribe("race:1", Optional.empty())).offset());
            for (int spin = random.nextInt(20_000); spin > 0; spin--) {
                Thread.onSpinWait();
            }
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        pool.shutdown();
        long last = (long) publishers * perPublisher;
        for (int i = 0; i < subscribers; i++) {
            RecordingOutlet out = outs.get(i);
            long start = starts.get(i);
            await().until(() -> out.messages().size() >= last - start);
            List<Long> expected = new ArrayList<>();
            for (long o = start + 1; o <= last; o++) {
                expected.add(o);
            }
            assertThat(out.offsets()).as("subscriber %d from %d", i, start).isEqualTo(expected);
        }
    }

    @Test
    void aPassLongerThanASliceLetsOtherWorkRunAndKeepsEveryMembersOrder() throws Exception {
        EventExecutor loop = loops.next();
        int n = 3 * ChannelFeed.SLICE + 10;
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger writesBeforeOtherTask = new java.util.concurrent.atomic.AtomicInteger(-1);
        List<RecordingOutlet> outlets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean first = i == 0;
            RecordingOutlet out = new RecordingOutlet("c" + i, loop) {
                @Override
                public void send(io.herald.MessageFrame frame) {
                    writes.incrementAndGet();
                    if (first && writesBeforeOtherTask.get() == -1) {
                        // another piece of work for the loop, queued while the first pass is under way
                        writesBeforeOtherTask.set(-2);
                        loop.execute(() -> writesBeforeOtherTask.set(writes.get()));
                    }
                    super.send(frame);
                }
            };
            outlets.add(out);
            on(loop, () -> herald.openSession(out).subscribe("big:1", Optional.empty()));
        }
        for (int i = 1; i <= 20; i++) {
            herald.publish("big:1", "e", i).join();
        }
        await().atMost(java.time.Duration.ofSeconds(20)).until(() -> outlets.stream().allMatch(o -> o.messages().size() == 20));
        List<Long> expected = java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList();
        for (RecordingOutlet o : outlets) {
            assertThat(o.offsets()).as(o.id()).isEqualTo(expected);
        }
        assertThat(writesBeforeOtherTask.get()).as("writes done when the other task ran").isBetween(1, n - 1);
    }

    /** Members on one loop, the first of which runs {@code duringFirstPass} from its first write (inside a pass). */
    private List<RecordingOutlet> membersWhoseFirstWriteRuns(Herald h, EventExecutor loop, int n, String channel,
            Runnable duringFirstPass) throws Exception {
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        List<RecordingOutlet> outlets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean first = i == 0;
            RecordingOutlet out = new RecordingOutlet("c" + i, loop) {
                @Override
                public void send(io.herald.MessageFrame frame) {
                    super.send(frame);
                    if (first && ran.compareAndSet(false, true)) {
                        duringFirstPass.run();
                    }
                }
            };
            outlets.add(out);
            on(loop, () -> h.openSession(out).subscribe(channel, Optional.empty()));
        }
        return outlets;
    }

    private static Herald withOutboundBuffer(long bytes) {
        return Herald.builder().config(io.herald.HeraldConfig.newBuilder()
                .defaults(io.herald.NamespaceOptions.newBuilder().outboundBufferBytes(bytes).build()).build()).start();
    }

    /** Issue 10: what a loop cannot fan out in time is bounded for the whole feed, and every member hears of the drop. */
    @Test
    void plainMessagesQueuedBehindAPassPastTheBoundAreDroppedAndToldToEveryMemberAsLag() throws Exception {
        EventExecutor loop = loops.next();
        try (Herald h = withOutboundBuffer(1024)) {
            String pad = "x".repeat(100);
            List<RecordingOutlet> outlets = membersWhoseFirstWriteRuns(h, loop, 2 * ChannelFeed.SLICE, "q:1", () -> {
                for (int i = 0; i < 50; i++) {
                    h.publish("q:1", "host", pad); // offered while the pass over the members is under way
                }
            });
            h.publish("q:1", "host", pad).join();
            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> outlets.stream()
                    .allMatch(o -> o.offsets().contains(51L)));
            for (RecordingOutlet o : outlets) {
                long skipped = o.frames.stream().filter(f -> f.path("type").asText().equals("lag"))
                        .mapToLong(f -> f.path("skipped").asLong()).sum();
                assertThat(skipped).as(o.id()).isPositive();
                assertThat(o.offsets().size() + skipped).as("%s: every offset delivered or told", o.id()).isEqualTo(51);
                assertThat(o.offsets()).as(o.id()).isSorted().doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void criticalMessagesQueuedBehindAPassPastTheHardBoundCloseTheMembersWith4003() throws Exception {
        EventExecutor loop = loops.next();
        try (Herald h = withOutboundBuffer(1024)) {
            String pad = "x".repeat(100);
            List<RecordingOutlet> outlets = membersWhoseFirstWriteRuns(h, loop, 2 * ChannelFeed.SLICE, "q:2", () -> {
                for (int i = 0; i < 50; i++) { // 50 × ~150 B, past 4 × 1 KiB, none of them droppable
                    h.publish(io.herald.Message.builder("q:2", "phase").critical(true)
                            .data(com.fasterxml.jackson.databind.node.TextNode.valueOf(pad)).build());
                }
            });
            h.publish("q:2", "host", pad).join();
            await().atMost(java.time.Duration.ofSeconds(10)).until(() -> outlets.stream()
                    .allMatch(o -> o.closeCode == io.herald.CloseCodes.SLOW_CONSUMER));
        }
    }
}
