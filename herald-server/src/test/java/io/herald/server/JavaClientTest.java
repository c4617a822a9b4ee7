package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Engines;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.herald.client.ChannelMessage;
import io.herald.client.CloseCodes;
import io.herald.client.ConnectionLostException;
import io.herald.client.ConnectionState;
import io.herald.client.ConnectionStatus;
import io.herald.client.ErrorCode;
import io.herald.client.HeraldClient;
import io.herald.client.Lag;
import io.herald.client.NotRecovered;
import io.herald.client.PublishOptions;
import io.herald.client.Published;
import io.herald.client.ServerErrorException;
import io.herald.client.SubscribeOptions;
import io.herald.client.Subscription;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client ({@code herald-client}) against a real Herald over real sockets: it resumes every
 * channel exactly once, in order, across cut connections, a silent server and a server restart on
 * the same port; it carries on after a token expires with a fresh token, stops after 1008 and after
 * 4001 without one; it publishes with typed errors, delivers retained state first, and after a lag
 * recovers or reports what it missed, never silently.
 */
class JavaClientTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How far the publisher may run ahead of the subscriber: what a cut leaves for the resume to recover. */
    private static final int WINDOW = 200;
    private static final Duration FLUSH = Duration.ofMillis(5);
    private static final HeraldConfig CORE = HeraldConfig.newBuilder().namespaces(Map.of(
            "res", NamespaceOptions.newBuilder().historySize(100_000).build(),
            "cfg", NamespaceOptions.newBuilder().retained(true).build(),
            "slow", NamespaceOptions.newBuilder().historySize(100_000).outboundBufferBytes(64 * 1024).build())).build();

    @TempDir
    Path dir;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closing.add(c);
        return c;
    }

    /** What one subscription heard, on the client's thread; a permit back to the publisher per message. */
    private static final class Heard {
        final List<Long> offsets = new CopyOnWriteArrayList<>();
        final List<NotRecovered> gaps = new CopyOnWriteArrayList<>();
        final List<Lag> lags = new CopyOnWriteArrayList<>();
        final List<String> order = new CopyOnWriteArrayList<>();
        final Semaphore window = new Semaphore(WINDOW);

        SubscribeOptions.Builder options() {
            return SubscribeOptions.newBuilder()
                    .onMessage(m -> {
                        offsets.add(m.offset());
                        order.add("message " + m.event());
                        window.release();
                    })
                    .onState(s -> order.add("state " + s.stream().map(ChannelMessage::event).toList()))
                    .onLag(lags::add)
                    .onNotRecovered(gaps::add);
        }

        long last() {
            return offsets.isEmpty() ? 0 : offsets.get(offsets.size() - 1);
        }

        /** Waits until {@code n} more messages came than now. */
        void awaitMore(int n) {
            long target = offsets.size() + n;
            await().atMost(WAIT).until(() -> offsets.size() >= target);
        }

        /** Every offset from 1 to {@code last}, each once, in order. */
        void assertExactlyOnceUpTo(long last) {
            await().atMost(WAIT).until(() -> last() >= last);
            assertThat(offsets).as("offsets 1..%d, each once, in order", last)
                    .isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());
            assertThat(gaps).as("nothing reported lost").isEmpty();
        }
    }

    /** Every status change of a client. */
    private static final class Statuses implements Consumer<ConnectionStatus> {
        final List<ConnectionStatus> all = new CopyOnWriteArrayList<>();

        @Override
        public void accept(ConnectionStatus s) {
            all.add(s);
        }

        long connections() {
            return all.stream().filter(s -> s.state() == ConnectionState.CONNECTED).count();
        }

        ConnectionStatus last() {
            return all.get(all.size() - 1);
        }

        List<Integer> dropCodes() {
            return all.stream().filter(s -> s.state() == ConnectionState.RECONNECTING).map(s -> s.closeCode().orElse(-1)).toList();
        }
    }

    /**
     * Publishes numbered plain messages to one channel through the server in front of it (a backend
     * in the same process), at most {@link #WINDOW} ahead of the subscriber, until closed; when that
     * server goes, it waits for the next one given to {@link #next}.
     */
    private static final class Publisher implements AutoCloseable {
        final List<Long> acked = new CopyOnWriteArrayList<>();
        private final BlockingQueue<TestServer> servers = new LinkedBlockingQueue<>();
        private final Thread thread;
        private volatile boolean stop;

        Publisher(TestServer first, String channel, Semaphore window) {
            servers.add(first);
            thread = new Thread(() -> run(channel, window), "publisher");
            thread.start();
        }

        private void run(String channel, Semaphore window) {
            try {
                TestServer server = servers.take();
                long n = 0;
                while (!stop) {
                    if (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    try {
                        acked.add(server.herald.publish(channel, "n" + n, n).join().offset());
                        n++;
                    } catch (RuntimeException closed) {
                        window.release();
                        server = servers.take(); // this server is gone: the next one
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void next(TestServer server) {
            servers.add(server);
        }

        long lastAcked() {
            return acked.get(acked.size() - 1);
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.interrupt();
            thread.join(WAIT.toMillis());
        }
    }

    private HeraldClient client(int port, UnaryOperator<HeraldClient.Builder> config) {
        return closeLater(config.apply(HeraldClient.newBuilder(URI.create("ws://127.0.0.1:" + port + "/ws"))).build());
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void everyMessageArrivesOnceInOrderWhileTheConnectionIsCutAndClosed() throws Exception {
        TestServer server = closeLater(TestServer.start(b -> b, CORE));
        CuttableProxy proxy = closeLater(new CuttableProxy(server.port()));
        Statuses statuses = new Statuses();
        Heard heard = new Heard();
        HeraldClient client = client(proxy.port(), b -> b.onStatus(statuses));
        Subscription sub = client.subscribe("res:1", heard.options().build());
        get(client.connect());
        get(sub.ready());
        Publisher publisher = closeLater(new Publisher(server, "res:1", heard.window));
        for (int round = 0; round < 4; round++) {
            heard.awaitMore(300);
            long connections = statuses.connections();
            if (round == 2) {
                String id = server.get("/api/connections").json().path("connections").get(0).path("id").asText();
                assertThat(server.request("DELETE", "/api/connections/" + id, null, "X-Api-Key", TestServer.ADMIN_KEY)
                        .status()).isEqualTo(200); // an operator closes it: 1000
            } else {
                proxy.cutAll(); // a reset: no close frame
            }
            await().atMost(WAIT).until(() -> statuses.connections() > connections);
        }
        heard.awaitMore(300);
        publisher.close();
        heard.assertExactlyOnceUpTo(publisher.lastAcked());
        assertThat(statuses.dropCodes()).containsExactly(CloseCodes.ABNORMAL, CloseCodes.ABNORMAL, CloseCodes.NORMAL,
                CloseCodes.ABNORMAL);
        assertThat(sub.position().orElseThrow().offset()).isEqualTo(publisher.lastAcked());
    }

    @Test
    void everyMessageArrivesOnceInOrderAcrossAServerRestartOnTheSamePort() throws Exception {
        UnaryOperator<ServerConfig.Builder> config = b -> b.reconnectAfter(Duration.ofMillis(100))
                .reconnectJitter(Duration.ofMillis(200));
        // a publish is acknowledged once committed: a short flush interval keeps the publisher going
        TestServer first = TestServer.start(config, CORE, Engines.disk(dir, FLUSH));
        int port = first.port();
        Statuses statuses = new Statuses();
        Heard heard = new Heard();
        HeraldClient client = client(port, b -> b.onStatus(statuses));
        Subscription sub = client.subscribe("res:durable", heard.options().build());
        get(client.connect());
        String epoch = get(sub.ready()).epoch();
        Publisher publisher = closeLater(new Publisher(first, "res:durable", heard.window));
        heard.awaitMore(100);
        first.close(); // graceful: shutdown{reconnectAfterMs}, 1001; history on disk
        TestServer second = closeLater(TestServer.start(b -> config.apply(b).port(port), CORE, Engines.disk(dir, FLUSH)));
        publisher.next(second);
        heard.awaitMore(200);
        publisher.close();
        heard.assertExactlyOnceUpTo(publisher.lastAcked());
        assertThat(sub.position().orElseThrow().epoch()).as("the disk store keeps the epoch").isEqualTo(epoch);
        ConnectionStatus shutdown = statuses.all.stream().filter(s -> s.state() == ConnectionState.RECONNECTING)
                .findFirst().orElseThrow();
        assertThat(shutdown.closeCode()).hasValue(CloseCodes.GOING_AWAY);
        assertThat(shutdown.retryIn().orElseThrow()).as("the server's jittered reconnectAfterMs")
                .isBetween(Duration.ofMillis(100), Duration.ofMillis(300));
    }

    @Test
    void aServerThatFallsSilentIsDetectedWithinItsTimeoutAndTheClientResumes() throws Exception {
        TestServer server = closeLater(TestServer.start(b -> b.heartbeatInterval(Duration.ofMillis(200))
                .heartbeatTimeout(Duration.ofSeconds(1)), CORE));
        CuttableProxy proxy = closeLater(new CuttableProxy(server.port()));
        Statuses statuses = new Statuses();
        Heard heard = new Heard();
        HeraldClient client = client(proxy.port(), b -> b.onStatus(statuses));
        Subscription sub = client.subscribe("res:silent", heard.options().build());
        get(client.connect());
        get(sub.ready());
        Publisher publisher = closeLater(new Publisher(server, "res:silent", heard.window));
        heard.awaitMore(300);
        proxy.silenceAll(); // sockets open, nothing passes: the client hears no close, only silence
        await().atMost(WAIT).until(() -> statuses.connections() > 1);
        heard.awaitMore(300);
        publisher.close();
        heard.assertExactlyOnceUpTo(publisher.lastAcked());
        ConnectionStatus drop = statuses.all.stream().filter(s -> s.state() == ConnectionState.RECONNECTING)
                .findFirst().orElseThrow();
        assertThat(drop.closeCode()).hasValue(CloseCodes.ABNORMAL);
        assertThat(drop.reason()).contains("no frame from the server for").contains("its timeoutMs is 1000");
    }

    @Test
    void anExpiredTokenIsReplacedByAFreshOneFromTheSupplierAndNothingIsLost() throws Exception {
        TestServer server = closeLater(TestServer.start(b -> b, CORE));
        AtomicInteger minted = new AtomicInteger();
        Statuses statuses = new Statuses();
        Heard heard = new Heard();
        HeraldClient client = client(server.port(), b -> b.onStatus(statuses).tokenSupplier(() -> {
            minted.incrementAndGet();
            return TestServer.token("svc", List.of("res:*"), List.of(), false, Duration.ofSeconds(2));
        }));
        Subscription sub = client.subscribe("res:token", heard.options().build());
        get(client.connect());
        get(sub.ready());
        Publisher publisher = closeLater(new Publisher(server, "res:token", heard.window));
        await().atMost(WAIT).until(() -> statuses.dropCodes().contains(CloseCodes.UNAUTHORIZED) && statuses.connections() > 1);
        heard.awaitMore(300);
        publisher.close();
        heard.assertExactlyOnceUpTo(publisher.lastAcked());
        assertThat(minted.get()).isGreaterThanOrEqualTo(2);
        assertThat(statuses.all).noneMatch(s -> s.state() == ConnectionState.DISCONNECTED);
    }

    @Test
    void anExpiredFixedTokenEndsTheClientWithoutReconnecting() throws Exception {
        TestServer server = closeLater(TestServer.start(b -> b, CORE));
        Statuses statuses = new Statuses();
        HeraldClient client = client(server.port(), b -> b.onStatus(statuses)
                .token(TestServer.token("svc", List.of("res:*"), List.of(), false, Duration.ofSeconds(1))));
        get(client.connect());
        await().atMost(WAIT).until(() -> statuses.last().state() == ConnectionState.DISCONNECTED);
        assertThat(statuses.last().closeCode()).hasValue(CloseCodes.UNAUTHORIZED);
        assertNoNewConnection(server, 1);
        assertThat(client.publish("res:1", "e", 1)).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ConnectionLostException.class);
    }

    @Test
    void aPolicyCloseEndsTheClientWithoutReconnecting() throws Exception {
        TestServer server = closeLater(TestServer.start(b -> b.inboundRate(5), CORE));
        Statuses statuses = new Statuses();
        HeraldClient client = client(server.port(), b -> b.onStatus(statuses));
        get(client.connect());
        for (int i = 0; i < 50; i++) {
            client.publish("res:flood", "e", i); // a flood past the inbound rate: rate_limited, then 1008
        }
        await().atMost(WAIT).until(() -> statuses.last().state() == ConnectionState.DISCONNECTED);
        assertThat(statuses.last().closeCode()).hasValue(CloseCodes.POLICY_VIOLATION);
        assertNoNewConnection(server, 1);
    }

    /** The server saw {@code total} connections in all, and no more come for longer than the first backoff. */
    private static void assertNoNewConnection(TestServer server, int total) {
        await().during(Duration.ofMillis(1_500)).atMost(WAIT).until(() ->
                server.get("/api/connections").json().path("summary").path("total").asInt() == total);
    }

    @Test
    void publishAnswersWithTheOffsetAndTheServersRefusalAsATypedError() throws Exception {
        TestServer server = closeLater(TestServer.start(b -> b, CORE));
        HeraldClient client = client(server.port(), b -> b.token(
                TestServer.token("svc", List.of("res:*"), List.of("res:pub"), false, Duration.ofMinutes(5))));
        CompletableFuture<Published> first = client.publish("res:pub", "hello", Map.of("n", 1)); // before connecting: waits
        get(client.connect());
        Published p = get(first);
        assertThat(p.channel()).isEqualTo("res:pub");
        assertThat(p.offset()).isEqualTo(1);
        assertThat(p.epoch()).isEqualTo(server.herald.position("res:pub").epoch());
        assertThat(get(client.publish("res:pub", "again", null, PublishOptions.CRITICAL)).offset()).isEqualTo(2);
        assertThat(client.publish("res:other", "hello", 1)).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(ServerErrorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThat(client.publish("res:no spaces", "hello", 1)).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(ServerErrorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        JsonNode history = server.get("/api/channels/res:pub/history").json();
        assertThat(history.path("messages").size()).isEqualTo(2);
    }

    @Test
    void retainedStateComesBeforeTheLiveMessages() throws Exception {
        TestServer server = closeLater(TestServer.start(b -> b, CORE));
        server.publish("cfg:app", "theme", "\"dark\"");
        server.publish("cfg:app", "lang", "\"en\"");
        Heard heard = new Heard();
        HeraldClient client = client(server.port(), b -> b);
        Subscription sub = client.subscribe("cfg:app", heard.options().build());
        get(client.connect());
        get(sub.ready());
        server.publish("cfg:app", "theme", "\"light\"");
        await().atMost(WAIT).until(() -> heard.order.size() == 2);
        assertThat(heard.order).containsExactly("state [theme, lang]", "message theme");
    }

    @Test
    void aSlowSubscriberIsToldOfEveryMessageItMissedNeverSilently() throws Exception {
        TestServer server = closeLater(TestServer.start(b -> b, CORE));
        Heard heard = new Heard();
        CountDownLatch reading = new CountDownLatch(1);
        HeraldClient client = client(server.port(), b -> b);
        Subscription sub = client.subscribe("slow:1", heard.options().onMessage(m -> {
            if (heard.offsets.isEmpty()) {
                awaitUninterruptibly(reading); // the application stalls: the socket backs up, the server drops
            }
            heard.offsets.add(m.offset());
        }).build());
        get(client.connect());
        get(sub.ready());
        String pad = "x".repeat(200);
        long last = 0;
        for (int i = 0; i < 20_000; i++) {
            last = server.herald.publish("slow:1", "n", pad + i).join().offset();
        }
        reading.countDown();
        long end = last;
        await().atMost(WAIT).until(() -> heard.last() == end);
        assertThat(heard.lags).as("the server dropped messages for it").isNotEmpty();
        List<Long> got = heard.offsets;
        assertThat(got).as("in order, each once").isSorted().doesNotHaveDuplicates();
        // what did not arrive is exactly what was reported missing
        List<Long> missing = LongStream.rangeClosed(1, end).filter(o -> !got.contains(o)).boxed().toList();
        List<Long> reported = heard.gaps.stream()
                .flatMap(g -> LongStream.rangeClosed(g.lastSeen().offset() + 1, g.resumedAt().offset()).boxed()).toList();
        assertThat(reported).isEqualTo(missing);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
