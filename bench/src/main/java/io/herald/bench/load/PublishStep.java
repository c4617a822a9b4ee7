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
 * Messages are numbered on from the previous step's, and message {@code j} goes to channel
 * {@code j mod C} of the {@link ChannelLayout} (one channel for {@code fanout}), one message per
 * request.
 * Requests are pipelined ({@link PublishClient#post}), so only the publisher's own thread can
 * fall behind; if it does, it sends at once and records how far behind it was. Messages that fall
 * due within one {@link #TICK_NANOS} of each other leave in one write. Each message's
 * {@code data} is exactly {@link #DATA_BYTES} bytes of JSON: {@code {"t":<nanoTime at send>,
 * "s":<step>,"pad":"xx…"}}.
 */
final class PublishStep {
    static final int DATA_BYTES = 100;
    /**
     * The publisher sleeps at least this long between two sends, so above 1,000 messages a second
     * it sends them in batches, one write each; the lateness this adds (up to a tick) is counted in
     * {@link Outcome#behindMaxMillis}. Below that rate every message leaves alone, on time.
     */
    static final long TICK_NANOS = 1_000_000L;
    /** How long after its last message a step waits for the answers to its publishes. */
    private static final long ANSWER_TIMEOUT_NANOS = 30_000_000_000L;

    /**
     * What one step's publisher did; {@code okPerChannel}: the messages answered 2xx, by channel
     * number. Do not modify the array.
     */
    record Outcome(long sent, long ok, long errors, String lastError, double seconds, double behindMaxMillis,
                   long[] okPerChannel) {
        double achievedRate() {
            return seconds > 0 ? ok / seconds : 0;
        }
    }

    private PublishStep() {
    }

    /**
     * Publishes {@code rate * seconds} messages (at least one), numbered from {@code firstMessage},
     * each to its channel: {@code channelTemplate} with {@link ChannelLayout#PLACEHOLDER} filled in.
     */
    static Outcome run(PublishClient client, ChannelLayout layout, String channelTemplate, long firstMessage, int step,
                       double rate, double seconds) throws InterruptedException {
        long count = Math.max(1, Math.round(rate * seconds));
        String[] channels = new String[layout.channels()];
        for (int k = 0; k < channels.length; k++) {
            channels[k] = ChannelLayout.fill(channelTemplate, k);
        }
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        long start = System.nanoTime();
        long behindMax = 0;
        long lastSend = start - TICK_NANOS;
        long i = 0;
        while (i < count) {
            long due = start + (long) (i * 1e9 / rate);
            long now = System.nanoTime();
            if (now < due) {
                // sleep until the next message is due, but at least a tick since the last send: at
                // high rates the messages that fall due meanwhile leave together
                LockSupport.parkNanos(Math.max(due - now, lastSend + TICK_NANOS - now));
                continue;
            }
            behindMax = Math.max(behindMax, now - due);
            do { // every message due by now, in one write
                answers.add(client.post(body(channels[layout.channelOf(firstMessage + i)], step, System.nanoTime())));
                i++;
            } while (i < count && start + (long) (i * 1e9 / rate) <= now);
            client.flush();
            lastSend = now;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long ok = 0;
        long errors = 0;
        long[] okPerChannel = new long[layout.channels()];
        String lastError = "";
        long deadline = System.nanoTime() + ANSWER_TIMEOUT_NANOS;
        for (int n = 0; n < answers.size(); n++) {
            try {
                int status = answers.get(n).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (status >= 200 && status < 300) {
                    ok++;
                    okPerChannel[layout.channelOf(firstMessage + n)]++;
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
        return new Outcome(count, ok, errors, lastError, Math.max(elapsed, seconds), behindMax / 1e6, okPerChannel);
    }

    /** The publish request: {@code {"channel","event","data"}} with {@link #DATA_BYTES} bytes of data. */
    static byte[] body(String channel, int step, long nanos) {
        String head = "{\"t\":" + nanos + ",\"s\":" + step + ",\"pad\":\"";
        int pad = Math.max(0, DATA_BYTES - head.length() - 2);
        String data = head + "x".repeat(pad) + "\"}";
        return ("{\"channel\":\"" + channel + "\",\"event\":\"tick\",\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);
    }
}
