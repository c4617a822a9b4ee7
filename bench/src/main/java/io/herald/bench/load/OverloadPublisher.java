package io.herald.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The overload benchmark's publisher: plain messages (no key, not critical) to one channel at a
 * fixed rate for a fixed time, {@code perRequest} of them in one {@code POST /api/publish} (a JSON
 * array), pipelined over one keep-alive connection ({@link PublishClient}): an open loop, so a
 * server that cannot keep up shows as answers coming late, not as a publisher that slows down. At
 * most {@code maxInFlight} requests wait for their answers; past that the publisher waits too, and
 * counts how far behind schedule it fell. Each message's {@code data} is {@code {"pad":"xx…"}} of
 * exactly {@code dataBytes} bytes. One calling thread.
 */
final class OverloadPublisher {
    /** What the publisher did; {@code lastOffset}: the offset of the end marker, the last message published. */
    record Outcome(long sent, long ok, long failed, String lastError, double seconds, double behindMaxMillis,
                   long lastOffset) {
    }

    private final PublishClient client;
    private final URI publishUrl;
    private final String channel;
    private final int dataBytes;
    private final int maxInFlight;

    OverloadPublisher(PublishClient client, URI publishUrl, String channel, int dataBytes, int maxInFlight) {
        this.client = client;
        this.publishUrl = publishUrl;
        this.channel = channel;
        this.dataBytes = dataBytes;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Publishes {@code rate × seconds} messages, then one end marker alone, and returns once every
     * answer came (or 60 s after the last request).
     */
    Outcome run(double rate, double seconds, int perRequest) throws Exception {
        long count = Math.max(1, Math.round(rate * seconds));
        byte[] one = message().getBytes(StandardCharsets.UTF_8);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        String[] lastError = {""};
        long start = System.nanoTime();
        long behindMax = 0;
        long i = 0;
        while (i < count) {
            long now = System.nanoTime();
            long due = start + (long) (i * 1e9 / rate);
            if (now < due) {
                LockSupport.parkNanos(Math.max(due - now, PublishStep.TICK_NANOS));
                continue;
            }
            if (inFlight.get() >= maxInFlight) {
                LockSupport.parkNanos(PublishStep.TICK_NANOS);
                continue;
            }
            behindMax = Math.max(behindMax, now - due);
            long dueNow = Math.min(count, (long) ((now - start) / 1e9 * rate) + 1);
            while (i < dueNow && inFlight.get() < maxInFlight) {
                int n = (int) Math.min(perRequest, dueNow - i);
                inFlight.incrementAndGet();
                client.post(array(one, n)).whenComplete((status, err) -> {
                    inFlight.decrementAndGet();
                    if (err == null && status >= 200 && status < 300) {
                        ok.addAndGet(n);
                    } else {
                        failed.addAndGet(n);
                        synchronized (lastError) {
                            lastError[0] = err != null ? String.valueOf(err) : "HTTP " + status;
                        }
                    }
                });
                i += n;
            }
            client.flush();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        long lastOffset = endMarker();
        synchronized (lastError) {
            return new Outcome(count, ok.get(), failed.get() + inFlight.get(), lastError[0], elapsed, behindMax / 1e6,
                    lastOffset);
        }
    }

    /** Publishes one more plain message on its own connection and returns its offset (-1 if that fails). */
    private long endMarker() {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest req = HttpRequest.newBuilder(publishUrl).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("X-Api-Key", System.getenv().getOrDefault("HERALD_BENCH_API_KEY", ""))
                    .POST(HttpRequest.BodyPublishers.ofString(message())).build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            return r.statusCode() == 200 ? OffsetScanner.firstOffset(body, body.length) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /** One message: {@code {"channel","event","data"}}, data of exactly {@code dataBytes} bytes. */
    String message() {
        String head = "{\"pad\":\"";
        String data = head + "x".repeat(Math.max(0, dataBytes - head.length() - 2)) + "\"}";
        return "{\"channel\":\"" + channel + "\",\"event\":\"tick\",\"data\":" + data + "}";
    }

    private static byte[] array(byte[] one, int n) {
        if (n == 1) {
            return one;
        }
        byte[] out = new byte[2 + n * one.length + (n - 1)];
        out[0] = '[';
        int at = 1;
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                out[at++] = ',';
            }
            System.arraycopy(one, 0, out, at, one.length);
            at += one.length;
        }
        out[at] = ']';
        return out;
    }
}
