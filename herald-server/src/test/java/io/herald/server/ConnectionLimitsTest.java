package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.HeraldConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §8 connection limits count every TCP connection, HTTP and WebSocket, from accept to close,
 * and admit each with one check-and-increment. Every test's clients come from 127.0.0.1; the
 * bystander comes from 127.0.0.2, so it is not counted against 127.0.0.1, and keeps receiving.
 */
class ConnectionLimitsTest {
    private static final int PER_IP = 10;
    private static final int MAX = 14;
    private static final String UPGRADE = RawHttp.upgrade("/ws", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
    private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    private static TestServer server;
    private TestClient bystander;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.maxConnectionsPerIp(PER_IP).maxConnections(MAX), HeraldConfig.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void bystander() {
        await().until(() -> sockets() == 0); // the previous test's connections are gone
        bystander = TestClient.connectFrom("127.0.0.2", server.port(), "/ws");
        bystander.expect("welcome");
        bystander.send("{\"type\":\"subscribe\",\"channel\":\"limits:bystander\"}");
        bystander.expect("subscribed");
    }

    @AfterEach
    void bystanderStillReceives() {
        // through the Java API: 127.0.0.1 may still be at its limit
        long offset = server.herald.publish("limits:bystander", "check", 1).join().offset();
        assertThat(bystander.expect("message").path("offset").asLong()).isEqualTo(offset);
        assertThat(bystander.isOpen()).isTrue();
        bystander.close();
    }

    /** Open TCP connections, as the server counts them for its limits. */
    private static int sockets() {
        return (int) server.herald.meterRegistry().get("herald.sockets").gauge().value();
    }

    private static double refused(String limit) {
        return server.herald.meterRegistry().get("herald.connections.refused").tag("limit", limit).counter().count();
    }

    /** Past the per-address limit: this client holds too many connections. */
    private static void assertRefused429(RawHttp.Response r) {
        assertRefused(r, 429, "rate_limited");
    }

    /** Past the global limit: the server is full for everyone. */
    private static void assertRefused503(RawHttp.Response r) {
        assertRefused(r, 503, "unavailable");
    }

    private static void assertRefused(RawHttp.Response r, int status, String code) {
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
        assertThat(r.json().path("error").path("code").asText()).isEqualTo(code);
    }

    @Test
    void fiftySimultaneousUpgradesFromOneAddressOpenOnlyTheLimit() throws Exception {
        int attempts = 50;
        double refusedBefore = refused("maxConnectionsPerIp");
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        List<RawHttp> connections = new ArrayList<>();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger peakSessions = new AtomicInteger();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                peak.accumulateAndGet(sockets(), Math::max);
                peakSessions.accumulateAndGet(server.server.connectionCount(), Math::max);
            }
        });
        watcher.start();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RawHttp.Response>> answers = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                RawHttp c = RawHttp.connect(server.port());
                connections.add(c);
                answers.add(pool.submit(() -> {
                    go.await();
                    return c.send(UPGRADE).read();
                }));
            }
            go.countDown();
            int upgraded = 0;
            for (Future<RawHttp.Response> a : answers) {
                RawHttp.Response r = a.get();
                if (r.status() == 101) {
                    upgraded++;
                } else {
                    assertRefused429(r);
                }
            }
            assertThat(upgraded).isEqualTo(PER_IP);
            // a connection counts once its 101 is written (a listener on the write): the client may read it first
            await().untilAsserted(() -> assertThat(server.server.connectionCount()).isEqualTo(PER_IP + 1));
            assertThat(sockets()).isEqualTo(PER_IP + 1);
            assertThat(refused("maxConnectionsPerIp")).isEqualTo(refusedBefore + attempts - PER_IP);
        } finally {
            watching.set(false);
            watcher.join();
            pool.shutdownNow();
            connections.forEach(RawHttp::close);
        }
        assertThat(peak.get()).as("open sockets: the bystander and the limit").isLessThanOrEqualTo(PER_IP + 1);
        assertThat(peakSessions.get()).as("WebSocket sessions").isLessThanOrEqualTo(PER_IP + 1);
    }

    @Test
    void plainHttpConnectionsCountTowardThePerIpLimit() {
        List<RawHttp> keepAlive = new ArrayList<>();
        try {
            for (int i = 0; i < PER_IP; i++) {
                RawHttp c = RawHttp.connect(server.port());
                keepAlive.add(c);
                assertThat(c.send(HEALTH).read().status()).isEqualTo(200);
            }
            try (RawHttp over = RawHttp.connect(server.port())) {
                assertRefused429(over.send(HEALTH).read());
                assertThat(over.closedByServer()).isTrue();
            }
            assertThatThrownBy(() -> TestClient.connect(server.port(), "/ws")).hasStackTraceContaining("429");
            // the counts are kept open connections: one closes, one more is served
            keepAlive.remove(0).close();
            await().until(() -> sockets() == PER_IP);
            try (RawHttp next = RawHttp.connect(server.port())) {
                assertThat(next.send(HEALTH).read().status()).isEqualTo(200);
            }
        } finally {
            keepAlive.forEach(RawHttp::close);
        }
    }

    @Test
    void connectionsThatSayNothingCountToo() {
        List<RawHttp> silent = new ArrayList<>();
        try {
            for (int i = 0; i < PER_IP; i++) {
                silent.add(RawHttp.connect(server.port()));
            }
            await().until(() -> sockets() == PER_IP + 1);
            try (RawHttp over = RawHttp.connect(server.port())) {
                assertRefused429(over.read()); // answered without waiting for a request
                assertThat(over.closedByServer()).isTrue();
            }
        } finally {
            silent.forEach(RawHttp::close);
        }
    }

    @Test
    void globalLimitCountsEveryAddress() {
        double refusedBefore = refused("maxConnections");
        List<RawHttp> open = new ArrayList<>();
        try {
            // the bystander and 13 more from four addresses
            for (int i = 0; i < MAX - 1; i++) {
                open.add(RawHttp.connect(server.port(), "127.0.1." + (i % 4 + 1)));
            }
            await().until(() -> sockets() == MAX);
            try (RawHttp over = RawHttp.connect(server.port(), "127.0.2.1")) {
                RawHttp.Response r = over.send(HEALTH).read();
                assertRefused503(r);
                assertThat(r.json().path("error").path("message").asText()).contains("full");
            }
            assertThat(refused("maxConnections")).isEqualTo(refusedBefore + 1);
        } finally {
            open.forEach(RawHttp::close);
        }
    }
}
