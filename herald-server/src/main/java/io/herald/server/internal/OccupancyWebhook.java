package io.herald.server.internal;

import io.herald.HeraldClock;
import io.herald.Json;
import io.herald.OccupancyListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each occupancy change to {@code occupancy.webhook} (SPEC §7): {@code {"event":"occupied"|"vacant",
 * "channel":…,"seq":…,"ts":…}}, {@code seq} counting up per server so a receiver can put calls that
 * overtook each other back in order. Sent asynchronously (the JDK's {@link HttpClient}), at most
 * {@link #MAX_IN_FLIGHT} at once with a {@link #TIMEOUT} each; a change past that bound, a failure
 * or an answer other than 2xx is counted ({@code herald.webhook.calls} by {@code outcome}) and
 * logged at most once a second, and never slows the subscriptions that caused it. Not retried: the
 * receiver can always ask {@code GET /api/channels/{ch}/subscribers}.
 */
public final class OccupancyWebhook implements OccupancyListener {
    static final int MAX_IN_FLIGHT = 256;
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(OccupancyWebhook.class);
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final URI target;
    private final HeraldClock clock;
    private final HttpClient client;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong seq = new AtomicLong();
    private final LogThrottle logs;
    private final Counter delivered;
    private final Counter failed;
    private final Counter dropped;

    public OccupancyWebhook(URI target, HeraldClock clock, MeterRegistry registry) {
        this.target = target;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        this.logs = new LogThrottle(clock, LOG_INTERVAL_NANOS);
        this.delivered = outcome(registry, "delivered");
        this.failed = outcome(registry, "failed");
        this.dropped = outcome(registry, "dropped");
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("herald.webhook.calls").tag("outcome", outcome)
                .description("occupancy webhook calls: delivered (2xx), failed, or dropped past the in-flight bound")
                .register(registry);
    }

    @Override
    public void changed(String channel, boolean occupied) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", occupied ? "occupied" : "vacant");
        body.put("channel", channel);
        body.put("seq", seq.incrementAndGet());
        body.put("ts", clock.epochMillis());
        if (!inFlight.tryAcquire()) {
            dropped.increment();
            warn("dropped", "occupancy webhook: {} calls already in flight to {}; dropped the change of {}",
                    MAX_IN_FLIGHT, target, channel);
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(target).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.toString(body))).build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((res, err) -> {
            inFlight.release();
            if (err == null && res.statusCode() / 100 == 2) {
                delivered.increment();
            } else {
                failed.increment();
                warn("failed", "occupancy webhook {} failed for {}: {}", target, channel,
                        err != null ? err.toString() : "HTTP " + res.statusCode());
            }
        });
    }

    private void warn(String kind, String format, Object... args) {
        long held = logs.admit(kind);
        if (held != LogThrottle.HELD) {
            log.warn(format + (held > 0 ? " (" + held + " more since the last such line)" : ""), args);
        }
    }
}
