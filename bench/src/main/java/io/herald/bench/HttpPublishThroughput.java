package io.herald.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One publisher over one HTTP/1.1 keep-alive connection, publishing back to back, and one WebSocket
 * subscriber: how many messages per second get through, and the publish→receive latency.
 *
 * <pre>
 * ./herald serve &amp;
 * java -cp bench/target/herald-bench.jar io.herald.bench.HttpPublishThroughput [host:port] [seconds]
 * </pre>
 */
public final class HttpPublishThroughput {
    public static void main(String[] args) throws Exception {
        String hostPort = args.length > 0 ? args[0] : "127.0.0.1:8080";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String channel = "bench:http-" + System.nanoTime();

        AtomicLong received = new AtomicLong();
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        HttpClient ws = HttpClient.newHttpClient();
        WebSocket socket = ws.newWebSocketBuilder().buildAsync(URI.create("ws://" + hostPort + "/ws/" + channel), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String frame = partial.toString();
                    partial.setLength(0);
                    if (frame.startsWith("{\"type\":\"subscribed\"")) {
                        subscribed.complete(null);
                    } else if (frame.startsWith("{\"type\":\"message\"")) {
                        int at = frame.indexOf("\"sent\":");
                        long sent = Long.parseLong(frame.substring(at + 7, frame.indexOf('}', at)));
                        synchronized (latency) {
                            latency.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
                        }
                        received.incrementAndGet();
                    }
                }
                webSocket.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        subscribed.get(10, TimeUnit.SECONDS);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI publish = URI.create("http://" + hostPort + "/api/publish");
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long published = 0;
        while (System.nanoTime() < end) {
            String body = "{\"channel\":\"" + channel + "\",\"event\":\"tick\",\"data\":{\"n\":" + published + ",\"sent\":" + System.nanoTime() + "}}";
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(publish).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("publish answered " + r.statusCode());
            }
            published++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < published && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        socket.sendClose(1000, "done").get(5, TimeUnit.SECONDS);
        System.out.printf("published %d in %.1f s: %.0f msg/s over one keep-alive connection%n", published, elapsed, published / elapsed);
        System.out.printf("received  %d (%s)%n", received.get(), received.get() == published ? "all" : "MISSING " + (published - received.get()));
        System.out.printf("latency publish->receive (µs): p50 %d  p90 %d  p99 %d  max %d%n",
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(90), latency.getValueAtPercentile(99), latency.getMaxValue());
        System.exit(received.get() == published ? 0 : 1);
    }
}
