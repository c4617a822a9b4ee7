package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.ClientSession;
import io.herald.Herald;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.herald.StreamPosition;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A recovery larger than the outbound buffer (issue 12): the client gets what it missed oldest
 * first, a page at a time as its socket takes it, never more than the bound waiting in memory,
 * and then the live stream with no gap; what history lost meanwhile is told in a {@code lag}.
 */
class CatchUpTest {
    /** 100 messages of about 60 bytes fill the 4 KiB outbound buffer many times over. */
    private static final long BOUND = 4096;
    private DefaultEventExecutorGroup loops;
    private Herald herald;
    private EventExecutor loop;

    @BeforeEach
    void start() {
        loops = new DefaultEventExecutorGroup(1);
        loop = loops.next();
        herald = heraldWith(io.herald.Engines.memory());
    }

    private static Herald heraldWith(io.herald.Engine engine) {
        NamespaceOptions wide = NamespaceOptions.newBuilder().historySize(3000).outboundBufferBytes(BOUND).build();
        return Herald.builder().engine(engine).config(HeraldConfig.newBuilder().namespaces(Map.of("wide", wide)).build()).start();
    }

    @AfterEach
    void stop() throws Exception {
        herald.close();
        loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
    }

    private <T> T on(Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    private void publish(String channel, int from, int to) {
        for (int i = from; i <= to; i++) {
            herald.publish(channel, "host", "10.0.0." + i).join();
        }
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** A session whose socket is full ({@code out} not writable) resubscribes to {@code channel} from {@code offset}. */
    private ClientSession resume(String channel, long offset, RecordingOutlet out) throws Exception {
        String epoch = herald.position(channel).epoch();
        out.writable = false;
        ClientSession session = on(() -> herald.openSession(out));
        boolean recovered = on(() -> session.subscribe(channel, Optional.empty(),
                Optional.of(new StreamPosition(epoch, offset)))).join().recovered();
        assertThat(recovered).isTrue();
        return session;
    }

    @Test
    void aCatchUpLargerThanTheBufferArrivesWholeAPageAtATimeAsTheSocketTakesIt() throws Exception {
        publish("wide:1", 1, 2000);
        RecordingOutlet out = new RecordingOutlet("c", loop);
        ClientSession session = resume("wide:1", 10, out);
        for (int round = 0; out.messages().size() < 1990 && round < 1000; round++) {
            on(() -> {
                assertThat(session.backlogMessages()).as("what waits stays within the bound").isLessThan(BOUND / 40);
                out.writable = true;
                session.writable(); // the socket takes a page, then is full again
                out.writable = false;
                return null;
            });
            if (round == 5) {
                publish("wide:1", 2001, 2100); // live messages while catching up: they follow from history
            }
        }
        on(() -> {
            out.writable = true;
            session.writable();
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> out.offsets().size() >= 2090);
        publish("wide:1", 2101, 2101);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.offsets().size() == 2091);
        assertThat(out.offsets()).isEqualTo(range(11, 2101));
        assertThat(out.frames).noneMatch(f -> f.path("type").asText().equals("lag"));
    }

    @Test
    void whatHistoryEvictsDuringACatchUpIsToldAsALagAndTheLiveStreamGoesOn() throws Exception {
        publish("wide:2", 1, 2000);
        RecordingOutlet out = new RecordingOutlet("c", loop);
        ClientSession session = resume("wide:2", 0, out);
        publish("wide:2", 2001, 5000); // history keeps 3000: offsets up to 2000 are gone before the client reads
        on(() -> {
            out.writable = true;
            session.writable();
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> out.frames.stream().anyMatch(f -> f.path("type").asText().equals("lag")));
        publish("wide:2", 5001, 5001);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.offsets().contains(5001L));
        // in order: the first page, the lag, then live (what reached the subscription after the catch-up gave up)
        List<String> kinds = new ArrayList<>();
        long lagged = 0;
        List<Long> before = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        for (JsonNode f : out.frames) {
            String type = f.path("type").asText();
            if (type.equals("lag")) {
                lagged += f.path("skipped").asLong();
                kinds.add("lag");
            } else {
                List<Long> into = lagged == 0 ? before : after;
                (f.has("messages") ? f.get("messages") : List.of(f)).forEach(m -> into.add(m.path("offset").asLong()));
            }
        }
        assertThat(kinds).as("one lag").hasSize(1);
        assertThat(before).as("the first page, from the start").isNotEmpty().isEqualTo(range(1, before.size()));
        // every offset was delivered or counted in the lag, once: the live part starts right after what was told lost
        assertThat(after).isEqualTo(range(before.size() + lagged + 1, 5001));
    }

    @Test
    void aHistoryReadThatFailsDuringACatchUpIsToldAsALagAndTheLiveStreamGoesOn() throws Exception {
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        herald.close();
        herald = heraldWith(new io.herald.ForwardingEngine(io.herald.Engines.memory()) {
            @Override
            public java.util.concurrent.CompletableFuture<io.herald.History> history(String channel, StreamPosition since, int limit) {
                return reads.incrementAndGet() == 1 ? super.history(channel, since, limit) // the first page only
                        : java.util.concurrent.CompletableFuture.failedFuture(io.herald.HeraldException.engineUnavailable("the store is gone"));
            }
        });
        publish("wide:3", 1, 2000);
        RecordingOutlet out = new RecordingOutlet("c", loop);
        ClientSession session = resume("wide:3", 0, out);
        on(() -> {
            out.writable = true;
            session.writable();
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> out.frames.stream().anyMatch(f -> f.path("type").asText().equals("lag")));
        List<Long> page = new ArrayList<>(out.offsets());
        JsonNode lag = out.frames.stream().filter(f -> f.path("type").asText().equals("lag")).findFirst().orElseThrow();
        assertThat(page).isNotEmpty().isEqualTo(range(1, page.size()));
        assertThat(lag.path("skipped").asLong()).as("the rest of the catch-up, told lost").isEqualTo(2000 - page.size());
        publish("wide:3", 2001, 2001);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.offsets().contains(2001L));
        assertThat(out.offsets()).hasSize(page.size() + 1);
    }
}
