package io.herald.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes at a fixed rate for a fixed time: message {@code i} is due at {@code start + i/rate}.
 * Requests are pipelined ({@link PublishClient#post}), so only the publisher's own thread can
 * fall behind; if it does, it sends at once and records how far behind it was. Each message's
 * {@code data} is exactly {@link #DATA_BYTES} bytes of JSON: {@code {"t":<nanoTime at send>,
 * "s":<step>,"pad":"xx…"}}.
 */
final class PublishStep {
    static final int DATA_BYTES = 100;
    /** How long after its last message a step waits for the answers to its publishes. */
    private static final long ANSWER_TIMEOUT_NANOS = 30_000_000_000L;

    /** What one step's publisher did. */
    record Outcome(long sent, long ok, long errors, String lastError, double seconds, double behindMaxMillis) {
        double achievedRate() {
            return seconds > 0 ? ok / seconds : 0;
        }
    }

    private PublishStep() {
    }

    static Outcome run(PublishClient client, String channel, int step, double rate, double seconds) throws InterruptedException {
        long count = Math.max(1, Math.round(rate * seconds));
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        long start = System.nanoTime();
        long behindMax = 0;
        for (long i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long now = System.nanoTime();
            if (now < due) {
                LockSupport.parkNanos(due - now);
            } else {
                behindMax = Math.max(behindMax, now - due);
            }
            answers.add(client.post(body(channel, step, System.nanoTime())));
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long ok = 0;
        long errors = 0;
        String lastError = "";
        long deadline = System.nanoTime() + ANSWER_TIMEOUT_NANOS;
        for (CompletableFuture<Integer> a : answers) {
            try {
                int status = a.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (status >= 200 && status < 300) {
                    ok++;
                } else {
                    errors++;
                    lastError = "HTTP " + status;
                }
            } catch (ExecutionException | TimeoutException e) {
                errors++;
                lastError = e instanceof TimeoutException ? "no answer within 30 s" : String.valueOf(e.getCause());
            }
        }
        // a step's time is its schedule: the last message is due 1/rate before the end
        return new Outcome(count, ok, errors, lastError, Math.max(elapsed, seconds), behindMax / 1e6);
    }

    /** The publish request: {@code {"channel","event","data"}} with {@link #DATA_BYTES} bytes of data. */
    static byte[] body(String channel, int step, long nanos) {
        String head = "{\"t\":" + nanos + ",\"s\":" + step + ",\"pad\":\"";
        int pad = Math.max(0, DATA_BYTES - head.length() - 2);
        String data = head + "x".repeat(pad) + "\"}";
        return ("{\"channel\":\"" + channel + "\",\"event\":\"tick\",\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);
    }
}
