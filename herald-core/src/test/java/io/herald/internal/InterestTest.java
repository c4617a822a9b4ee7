package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.ClientSession;
import io.herald.Engines;
import io.herald.ForwardingEngine;
import io.herald.Herald;
import io.herald.StreamPosition;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hub declares this node's interest in a channel to the engine: first subscriber in, last one out. */
class InterestTest {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private DefaultEventExecutorGroup loops;
    private Herald herald;

    @BeforeEach
    void start() {
        loops = new DefaultEventExecutorGroup(2);
        herald = Herald.builder().engine(new ForwardingEngine(Engines.memory()) {
            @Override
            public CompletableFuture<Void> subscribe(String channel) {
                calls.add("subscribe " + channel);
                return super.subscribe(channel);
            }

            @Override
            public CompletableFuture<Void> unsubscribe(String channel) {
                calls.add("unsubscribe " + channel);
                return CompletableFuture.failedFuture(new IllegalStateException("redis down")); // logged, not thrown
            }
        }).start();
    }

    @AfterEach
    void stop() throws Exception {
        herald.close();
        loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
    }

    private ClientSession session(EventExecutor loop) throws Exception {
        return loop.submit(() -> herald.openSession(new RecordingOutlet("c", loop))).get();
    }

    private StreamPosition subscribe(EventExecutor loop, ClientSession s, String channel) throws Exception {
        return loop.submit(() -> s.subscribe(channel, Optional.empty())).get();
    }

    @Test
    void theFirstSubscriberDeclaresInterestAndTheLastOneWithdrawsIt() throws Exception {
        EventExecutor a = loops.next();
        EventExecutor b = loops.next();
        ClientSession one = session(a);
        ClientSession two = session(b);
        subscribe(a, one, "i:1");
        subscribe(b, two, "i:1");
        subscribe(a, one, "i:1"); // a replaced subscription keeps the channel subscribed
        assertThat(calls).containsExactly("subscribe i:1");
        a.submit(() -> one.unsubscribe("i:1")).get();
        assertThat(calls).containsExactly("subscribe i:1");
        b.submit(two::close).get();
        assertThat(calls).containsExactly("subscribe i:1", "unsubscribe i:1");
        subscribe(a, one, "i:1");
        assertThat(calls).containsExactly("subscribe i:1", "unsubscribe i:1", "subscribe i:1");
    }

    @Test
    void deletingAChannelWithdrawsInterest() throws Exception {
        EventExecutor a = loops.next();
        subscribe(a, session(a), "i:2");
        assertThat(herald.deleteChannel("i:2").join()).isTrue();
        assertThat(calls).containsExactly("subscribe i:2", "unsubscribe i:2");
        assertThat(herald.subscriberCount("i:2")).isZero();
    }
}
