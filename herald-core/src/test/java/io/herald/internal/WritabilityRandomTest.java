package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import io.herald.ClientSession;
import io.herald.Herald;
import io.herald.HeraldConfig;
import io.herald.Message;
import io.herald.NamespaceOptions;
import io.herald.MessageFrame;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The whole per-loop path (feed, shaper, backlog, session) under random publishes and a socket
 * whose writability flips at random: every critical message arrives; every plain message arrives
 * exactly once unless a lag frame reported it skipped; offsets only increase; the last value of
 * every key arrives.
 */
class WritabilityRandomTest {

    /** An outlet whose socket randomly stops taking frames after a write, until told it drained. */
    private static final class FlakyOutlet extends RecordingOutlet {
        private final Random random;

        FlakyOutlet(EventExecutor loop, Random random) {
            super("flaky", loop);
            this.random = random;
        }

        @Override
        public void send(MessageFrame frame) {
            super.send(frame);
            if (random.nextInt(4) == 0) {
                writable = false;
            }
        }
    }

    @RepeatedTest(8)
    void everyGuaranteeHoldsWhateverTheWritability() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        NamespaceOptions options = NamespaceOptions.newBuilder().batchInterval(Duration.ofMillis(1 + random.nextInt(20)))
                .batchMaxSize(1 + random.nextInt(30)).throttleRate(1 + random.nextInt(200))
                .outboundBufferBytes(1024 + random.nextInt(8192)).build();
        DefaultEventExecutor loop = new DefaultEventExecutor();
        try (Herald herald = Herald.builder().config(HeraldConfig.newBuilder().defaults(options).build()).start()) {
            FlakyOutlet out = new FlakyOutlet(loop, new Random(seed + 1));
            ClientSession session = loop.submit(() -> herald.openSession(out)).get();
            loop.submit(() -> session.subscribe("r:1", Optional.empty())).get();
            Runnable drained = () -> {
                out.writable = true;
                session.writable();
            };

            Set<Long> critical = new HashSet<>();
            Set<Long> plain = new HashSet<>();
            Map<String, Long> lastOfKey = new HashMap<>();
            int n = 500 + random.nextInt(1500);
            for (int i = 0; i < n; i++) {
                int kind = random.nextInt(100);
                Message.Builder b = Message.builder("r:1", "e").data(TextNode.valueOf("x".repeat(random.nextInt(200))));
                if (kind < 3) {
                    b.critical(true);
                } else if (kind < 50) {
                    b.key("k" + random.nextInt(5));
                }
                Message m = b.build();
                long offset = herald.publish(m).join().offset();
                if (m.critical()) {
                    critical.add(offset);
                } else if (m.key().isPresent()) {
                    lastOfKey.put(m.key().get(), offset);
                } else {
                    plain.add(offset);
                }
                if (random.nextInt(40) == 0) {
                    loop.execute(drained);
                }
            }
            long end = herald.publish(Message.builder("r:1", "end").critical(true).build()).join().offset();
            critical.add(end);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                loop.submit(drained).get();
                return out.offsets().contains(end);
            });

            String where = "seed " + seed + ", " + options;
            List<Long> offsets = out.offsets();
            for (int i = 1; i < offsets.size(); i++) {
                assertThat(offsets.get(i)).as(where + ": increasing offsets").isGreaterThan(offsets.get(i - 1));
            }
            Set<Long> got = new HashSet<>(offsets);
            assertThat(got).as(where + ": every critical").containsAll(critical);
            assertThat(got).as(where + ": the last value of every key").containsAll(lastOfKey.values());
            long skipped = out.frames.stream().filter(f -> f.path("type").asText().equals("lag"))
                    .mapToLong(f -> f.path("skipped").asLong()).sum();
            long plainMissing = plain.stream().filter(o -> !got.contains(o)).count();
            assertThat(plainMissing).as(where + ": plain messages missing = those reported in lag frames").isEqualTo(skipped);
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
        }
    }
}
