package io.herald.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fills the history of a Herald server for the heap-per-history-entry benchmark (issue 12,
 * {@code bench/history-heap.sh}): {@code --channels} channels ({@code <prefix>-0} …) × {@code --per-channel}
 * plain messages, each {@code {"channel","event":"tick","data":{"pad":"xx…"}}} with {@code data} of
 * exactly {@code --data-bytes} bytes, one JSON array of a channel's messages per {@code POST /api/publish}
 * (split to stay under 1 MiB), from {@code --threads} threads. Prints the messages accepted and failed.
 *
 * <pre>
 * --publish-url http://127.0.0.1:8080/api/publish  --channels 10000  --per-channel 100  --data-bytes 200
 * --prefix hist  --threads 4
 * </pre>
 */
public final class HistoryFill {
    private HistoryFill() {
    }

    public static void main(String[] args) throws Exception {
        Options o = new Options(Arrays.asList(args));
        URI url = URI.create(o.required("publish-url"));
        int channels = o.integer("channels", 10_000);
        int perChannel = o.integer("per-channel", 100);
        int dataBytes = o.integer("data-bytes", 200);
        String prefix = o.string("prefix", "hist");
        int threads = o.integer("threads", 4);
        String head = "{\"pad\":\"";
        String data = head + "x".repeat(Math.max(0, dataBytes - head.length() - 2)) + "\"}";
        int perRequest = Math.max(1, Math.min(perChannel, 900_000 / (data.length() + 64 + prefix.length())));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        String key = System.getenv().getOrDefault("HERALD_BENCH_API_KEY", "");
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                for (int c; (c = next.getAndIncrement()) < channels; ) {
                    String one = "{\"channel\":\"" + prefix + "-" + c + "\",\"event\":\"tick\",\"data\":" + data + "}";
                    for (int sent = 0; sent < perChannel; ) {
                        int n = Math.min(perRequest, perChannel - sent);
                        StringBuilder body = new StringBuilder(n * (one.length() + 1) + 2).append('[');
                        for (int k = 0; k < n; k++) {
                            body.append(k > 0 ? "," : "").append(one);
                        }
                        body.append(']');
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60))
                                    .header("Content-Type", "application/json").header("X-Api-Key", key)
                                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                ok.addAndGet(n);
                            } else {
                                failed.addAndGet(n);
                                if (failed.get() <= n) {
                                    System.err.println("history-fill: HTTP " + r.statusCode() + ": " + r.body());
                                }
                            }
                        } catch (Exception e) {
                            failed.addAndGet(n);
                            System.err.println("history-fill: " + e);
                        }
                        sent += n;
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.MINUTES);
        System.out.printf("published %d failed %d channels %d per-channel %d data-bytes %d seconds %.1f%n", ok.get(), failed.get(),
                channels, perChannel, dataBytes, (System.nanoTime() - start) / 1e9);
        System.exit(failed.get() == 0 ? 0 : 1);
    }
}
