package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.client.CloseCodes;
import io.herald.client.ConnectionState;
import io.herald.client.ConnectionStatus;
import io.herald.client.HeraldClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * SPEC §11: a shutdown sends 1,000 Java clients away with a jittered {@code reconnectAfterMs}, and
 * they come back to a new server on the same port spread over the jitter window, not in one burst.
 * The spread is printed to the test's output (and recorded in docs/BENCHMARKS.md); the assertions
 * are structural: nobody came back before it was told to, and the returns fill the window.
 */
class ShutdownSpreadTest {
    private static final int CLIENTS = 1_000;
    private static final Duration AFTER = ServerConfig.DEFAULT_RECONNECT_AFTER;
    private static final Duration JITTER = ServerConfig.DEFAULT_RECONNECT_JITTER;

    /** One client's shutdown, as its status listener saw it (on the client's thread). */
    private static final class Return {
        volatile long toldMs = -1;
        volatile long shutdownNanos;
        volatile long backNanos;
        final AtomicInteger attempts = new AtomicInteger();

        void status(ConnectionStatus s) {
            if (s.state() == ConnectionState.RECONNECTING) {
                attempts.incrementAndGet();
                if (toldMs < 0 && s.closeCode().orElse(0) == CloseCodes.GOING_AWAY) {
                    toldMs = s.retryIn().orElseThrow().toMillis();
                    shutdownNanos = System.nanoTime();
                }
            } else if (s.state() == ConnectionState.CONNECTED && toldMs >= 0 && backNanos == 0) {
                backNanos = System.nanoTime();
            }
        }

        boolean back() {
            return backNanos != 0;
        }

        long delayMs() {
            return TimeUnit.NANOSECONDS.toMillis(backNanos - shutdownNanos);
        }
    }

    @Test
    void aThousandClientsSentAwayBySomeShutdownComeBackSpreadOverTheJitterWindow() throws Exception {
        ScheduledExecutorService loops = Executors.newScheduledThreadPool(2);
        ExecutorService io = Executors.newFixedThreadPool(2);
        HttpClient http = HttpClient.newBuilder().executor(io).build();
        TestServer first = TestServer.start(b -> b.reconnectAfter(AFTER).reconnectJitter(JITTER));
        int port = first.port();
        List<HeraldClient> clients = new ArrayList<>();
        List<Return> returns = new ArrayList<>();
        TestServer second = null;
        try {
            List<CompletableFuture<Void>> connected = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Return r = new Return();
                HeraldClient c = HeraldClient.newBuilder(URI.create("ws://127.0.0.1:" + port + "/ws"))
                        .httpClient(http).executor(loops).connectTimeout(Duration.ofSeconds(30)).onStatus(r::status).build();
                returns.add(r);
                clients.add(c);
                connected.add(c.connect());
            }
            CompletableFuture.allOf(connected.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> first.server.connectionCount() == CLIENTS);

            long shutdownStarted = System.nanoTime();
            long shutdownStartedMs = System.currentTimeMillis();
            // the old server stops listening first, then tells its clients; the new one takes the port meanwhile
            CompletableFuture<Long> closed = CompletableFuture.supplyAsync(() -> {
                first.close();
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - shutdownStarted);
            });
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> portFree(port));
            second = TestServer.start(b -> b.port(port));
            long upMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - shutdownStarted);
            long closedMs = closed.get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(120)).until(() -> returns.stream().allMatch(Return::back));

            long[] told = returns.stream().mapToLong(r -> r.toldMs).sorted().toArray();
            long[] delays = returns.stream().mapToLong(Return::delayMs).sorted().toArray();
            long retried = returns.stream().filter(r -> r.attempts.get() > 1).count();
            // when each client reached the new server, by the server's clock: what its load looks like
            long[] arrivals = second.server.connections().stream()
                    .mapToLong(c -> c.connectedAt() - shutdownStartedMs).sorted().toArray();
            assertThat(arrivals).hasSize(CLIENTS);
            System.out.println(report(told, delays, arrivals, closedMs, upMs, retried));

            long windowMs = JITTER.toMillis();
            assertThat(told[0]).as("told to wait at least reconnectAfter").isGreaterThanOrEqualTo(AFTER.toMillis());
            assertThat(told[told.length - 1]).isLessThanOrEqualTo(AFTER.toMillis() + windowMs);
            assertThat(returns).as("nobody came back before it was told to").allMatch(r -> r.delayMs() >= r.toldMs);
            long p10 = percentile(arrivals, 10);
            long p90 = percentile(arrivals, 90);
            assertThat(p90 - p10).as("the middle 80 %% of returns span at least half the %d ms window", windowMs)
                    .isGreaterThanOrEqualTo(windowMs / 2);
            assertThat(busiestSlice(arrivals, windowMs / 10)).as("no tenth of the window takes a quarter of the clients")
                    .isLessThan(CLIENTS / 4);
        } finally {
            for (HeraldClient c : clients) {
                c.close();
            }
            if (second != null) {
                second.close();
            }
            first.close();
            loops.shutdownNow();
            io.shutdownNow();
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** The most arrivals within any {@code sliceMs} (a sliding window over the sorted times). */
    private static int busiestSlice(long[] sorted, long sliceMs) {
        int best = 0;
        int from = 0;
        for (int to = 0; to < sorted.length; to++) {
            while (sorted[to] - sorted[from] >= sliceMs) {
                from++;
            }
            best = Math.max(best, to - from + 1);
        }
        return best;
    }

    private static String report(long[] told, long[] delays, long[] arrivals, long closedMs, long upMs, long retried) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "shutdown spread: %d Java clients, reconnectAfter %d ms + jitter up to %d ms;"
                        + " the new server listened at %d ms, the old one was done at %d ms%n",
                told.length, AFTER.toMillis(), JITTER.toMillis(), upMs, closedMs));
        b.append(String.format(Locale.ROOT, "  told (reconnectAfterMs):           min %5d  p10 %5d  p50 %5d  p90 %5d  max %5d ms%n",
                told[0], percentile(told, 10), percentile(told, 50), percentile(told, 90), told[told.length - 1]));
        b.append(String.format(Locale.ROOT, "  back (client: closed -> connected): min %5d  p10 %5d  p50 %5d  p90 %5d  max %5d ms%n",
                delays[0], percentile(delays, 10), percentile(delays, 50), percentile(delays, 90), delays[delays.length - 1]));
        b.append(String.format(Locale.ROOT, "  arrivals (server: since shutdown):  min %5d  p10 %5d  p50 %5d  p90 %5d  max %5d ms%n",
                arrivals[0], percentile(arrivals, 10), percentile(arrivals, 50), percentile(arrivals, 90),
                arrivals[arrivals.length - 1]));
        b.append(String.format(Locale.ROOT, "  clients that found no server and retried: %d; busiest %d ms: %d clients%n",
                retried, JITTER.toMillis() / 10, busiestSlice(arrivals, JITTER.toMillis() / 10)));
        long bucket = 500;
        int[] counts = new int[(int) (arrivals[arrivals.length - 1] / bucket) + 1];
        for (long a : arrivals) {
            counts[(int) (a / bucket)]++;
        }
        b.append("  arrivals per 500 ms since the shutdown began: ").append(Arrays.toString(counts));
        return b.toString();
    }
}
