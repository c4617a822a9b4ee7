package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.ClientSession;
import io.herald.Herald;
import io.herald.HeraldConfig;
import io.herald.ManualClock;
import io.herald.Message;
import io.herald.NamespaceOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC §2 channel lifecycle: complete, clean up after the delay, reopen; nothing left behind. */
class LifecycleTest {
    private final ManualClock clock = new ManualClock();
    private DefaultEventExecutorGroup loops;
    private Herald herald;

    @BeforeEach
    void start() {
        loops = new DefaultEventExecutorGroup(2);
        NamespaceOptions scan = NamespaceOptions.newBuilder().cleanupDelay(Duration.ofMinutes(1))
                .completeOn(Set.of("scanCompleted")).build();
        herald = Herald.builder().clock(clock).sweepInterval(Duration.ZERO)
                .config(HeraldConfig.newBuilder().namespaces(Map.of("scan", scan)).build()).start();
    }

    @AfterEach
    void stop() throws Exception {
        herald.close();
        loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
    }

    @Test
    void finalMessageCompletesAndTheChannelIsRemovedAfterTheCleanupDelay() {
        herald.publish(Message.builder("scan:1", "progress").build()).join();
        herald.publish(Message.builder("scan:1", "done").finalMessage(true).build()).join();
        clock.advance(Duration.ofSeconds(59));
        assertThat(herald.sweep().join()).isZero();
        assertThat(herald.channelCount()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(herald.sweep().join()).isEqualTo(1);
        assertThat(herald.channelCount()).isZero();
    }

    @Test
    void readingAChannelsStatsDoesNotKeepItAlive() {
        herald.publish(Message.builder("scan:watched", "progress").build()).join();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(11));
            // a dashboard polling the channel, as GET /api/channels/{ch} does
            assertThat(herald.channel("scan:watched")).isPresent();
            assertThat(herald.channels()).isNotEmpty();
            assertThat(herald.sweep().join()).isZero();
        }
        clock.advance(Duration.ofSeconds(5)); // 60 s after the publish: reads were not activity
        assertThat(herald.sweep().join()).isEqualTo(1);
        assertThat(herald.channelCount()).isZero();
        // and reading it once it is gone creates nothing
        assertThat(herald.channel("scan:watched")).isEmpty();
        assertThat(herald.channelCount()).isZero();
    }

    @Test
    void completeOnEventCompletesTheChannel() {
        herald.publish(Message.builder("scan:2", "scanCompleted").build()).join();
        clock.advance(Duration.ofMinutes(1));
        assertThat(herald.sweep().join()).isEqualTo(1);
    }

    @Test
    void publishingToACompletedChannelReopensIt() {
        herald.publish(Message.builder("scan:3", "done").finalMessage(true).build()).join();
        clock.advance(Duration.ofSeconds(30));
        assertThat(herald.publish(Message.builder("scan:3", "again").build()).join().offset()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(31)); // past the completion's cleanup time, not idle that long
        assertThat(herald.sweep().join()).isZero();
        assertThat(herald.position("scan:3").offset()).isEqualTo(2);
    }

    @Test
    void removedChannelStartsAgainAtOffsetOneInANewEpochAndSubscribersFollow() throws Exception {
        EventExecutor loop = loops.next();
        RecordingOutlet out = new RecordingOutlet("c", loop);
        ClientSession session = loop.submit(() -> herald.openSession(out)).get();
        String epoch = loop.submit(() -> session.subscribe("scan:4", Optional.empty())).get().epoch();
        herald.publish(Message.builder("scan:4", "a").build()).join();
        herald.publish(Message.builder("scan:4", "done").finalMessage(true).build()).join();
        clock.advance(Duration.ofMinutes(1));
        assertThat(herald.sweep().join()).isEqualTo(1);
        assertThat(herald.publish(Message.builder("scan:4", "b").build()).join().offset()).isEqualTo(1);
        assertThat(herald.position("scan:4").epoch()).isNotEqualTo(epoch);
        // batches come due by the Herald clock: keep it moving while waiting
        await().until(() -> {
            clock.advance(Duration.ofMillis(50));
            return out.messages().size() == 3;
        });
        assertThat(out.messages()).extracting(m -> m.path("event").asText()).containsExactly("a", "done", "b");
    }

    /** Thousands of short-lived channels with subscribers that come and go leave no state behind. */
    @Test
    void manyShortLivedChannelsLeaveNothingBehind() throws Exception {
        EventExecutor loop = loops.next();
        int channels = 5000;
        for (int i = 0; i < channels; i++) {
            String ch = "scan:job-" + i;
            RecordingOutlet out = new RecordingOutlet("c" + i, loop);
            ClientSession s = loop.submit(() -> herald.openSession(out)).get();
            loop.submit(() -> s.subscribe(ch, Optional.empty())).get();
            herald.publish(Message.builder(ch, "progress").key("progress").build()).join();
            herald.publish(Message.builder(ch, "host").build()).join();
            herald.publish(Message.builder(ch, "scanCompleted").build()).join();
            loop.submit(s::close).get();
        }
        // also channels that were only subscribed to, never published
        for (int i = 0; i < 1000; i++) {
            String ch = "user:u" + i;
            ClientSession s = loop.submit(() -> herald.openSession(new RecordingOutlet("u", loop))).get();
            loop.submit(() -> s.subscribe(ch, Optional.empty())).get();
            loop.submit(s::close).get();
        }
        // every channel was occupied, then vacant: Herald published both to its occupancy channel, which it holds too
        long changes = 2L * (channels + 1000);
        await().until(() -> herald.channel(Herald.OCCUPANCY_CHANNEL).map(c -> c.published()).orElse(0L) == changes);
        assertThat(herald.channelCount()).isEqualTo(channels + 1000 + 1);
        clock.advance(Duration.ofMinutes(5));
        assertThat(herald.sweep().join()).isEqualTo(channels + 1000 + 1);
        assertThat(herald.channelCount()).isZero();
        assertThat(herald.channels()).as("no counters left behind either").isEmpty();
        for (int i = 0; i < channels; i += 97) {
            assertThat(herald.subscriberCount("scan:job-" + i)).isZero();
        }
    }
}
