package io.herald.bench.scan;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.workloads.Kind;
import io.herald.workloads.ScanEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes a workload over one HTTP/1.1 keep-alive connection ({@code POST /api/publish}), on the
 * workload's schedule sped up {@code speed} times. Events are grouped by fixed windows of
 * {@value #WINDOW_MILLIS} ms of replay time, each window one JSON array sent when its first event
 * is due, so on schedule the same seed and speed always give the same requests. A publisher that
 * fell behind merges the windows already due into one request to catch up.
 *
 * <p>Not thread-safe: one replay at a time, on the calling thread.
 */
final class ScanReplay {
    /** Replay-time width of one publish request's window. */
    static final long WINDOW_MILLIS = 5;
    /** Most events merged into one request while catching up (the server takes up to 10,000). */
    static final int MAX_EVENTS_PER_REQUEST = 1_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PATH = "/api/publish";

    private final PublishConnection http;
    private final String channel;
    private final double speed;

    /**
     * @param http    a keep-alive connection to the server
     * @param channel the channel every event goes to, e.g. {@code scan:1}
     * @param speed   how many times faster than real time; 1 replays in real time
     */
    ScanReplay(PublishConnection http, String channel, double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be > 0, was " + speed);
        }
        this.http = http;
        this.channel = channel;
        this.speed = speed;
    }

    /** How the replay went: what was published, in how many requests, and how well it kept to the schedule. */
    record Outcome(PublishLog log, int requests, double seconds, double maxLateMillis) {
    }

    /**
     * Publishes every event (in order) and returns what the server answered.
     *
     * @throws IllegalStateException when the server refuses a request or answers the wrong number of results
     */
    Outcome run(List<ScanEvent> events) throws InterruptedException {
        PublishLog log = new PublishLog();
        long windowMicros = Math.max(1, Math.round(WINDOW_MILLIS * 1_000 * speed));
        long start = System.nanoTime();
        long maxLate = 0;
        int requests = 0;
        int from = 0;
        while (from < events.size()) {
            long due = dueNanos(start, events.get(from));
            sleepUntil(due);
            maxLate = Math.max(maxLate, System.nanoTime() - due);
            int to = windowEnd(events, from, windowMicros);
            // Behind schedule (a busy machine): whole windows that are already due join this request,
            // so the publisher catches up with fewer, larger requests instead of falling further behind.
            while (to < events.size() && to - from < MAX_EVENTS_PER_REQUEST && dueNanos(start, events.get(to)) <= System.nanoTime()) {
                to = windowEnd(events, to, windowMicros);
            }
            List<ScanEvent> group = events.subList(from, to);
            JsonNode results = publish(group);
            for (int i = 0; i < group.size(); i++) {
                log.record(group.get(i), results.get(i).get("offset").asLong());
            }
            requests++;
            from = to;
        }
        return new Outcome(log, requests, (System.nanoTime() - start) / 1e9, maxLate / 1e6);
    }

    private long dueNanos(long start, ScanEvent e) {
        return start + Math.round(e.atMicros() * 1_000 / speed);
    }

    /** The index after the last event of the window that {@code events[from]} is in. */
    private static int windowEnd(List<ScanEvent> events, int from, long windowMicros) {
        long window = events.get(from).atMicros() / windowMicros;
        int to = from + 1;
        while (to < events.size() && events.get(to).atMicros() / windowMicros == window) {
            to++;
        }
        return to;
    }

    private JsonNode publish(List<ScanEvent> group) throws InterruptedException {
        PublishConnection.Answer answer;
        JsonNode results;
        try {
            answer = http.post(PATH, body(group));
            results = JSON.readTree(answer.body()).path("results");
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + PATH + " failed", e);
        }
        if (answer.status() != 200 || results.size() != group.size()) {
            throw new IllegalStateException("POST " + PATH + " answered " + answer.status() + ": " + answer.body());
        }
        return results;
    }

    /** One JSON array of messages; critical events say so themselves so no server config is needed. */
    private byte[] body(List<ScanEvent> group) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(group.size() * 220);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (ScanEvent e : group) {
                g.writeStartObject();
                g.writeStringField("channel", channel);
                g.writeStringField("event", e.event());
                g.writeFieldName("data");
                g.writeRawValue(e.data());
                if (e.key().isPresent()) {
                    g.writeStringField("key", e.key().get());
                }
                if (e.kind() == Kind.CRITICAL) {
                    g.writeBooleanField("critical", true);
                }
                if (e.last()) {
                    g.writeBooleanField("final", true);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void sleepUntil(long deadlineNanos) throws InterruptedException {
        // parkNanos may return early (spuriously or on unpark); the loop ends at the deadline either way
        for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
