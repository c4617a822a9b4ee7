package io.herald.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * One channel's counters on this node. Thread-safe: counters are adders, updated from the
 * publishing thread and the event loops; times are volatile.
 */
public final class ChannelStats {
    final String channel;
    final HeraldMetrics.NamespaceMeters meters;
    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder coalesced = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    /** Epoch millis of the first message, or 0. */
    volatile long startedAt;
    /** Epoch millis of completion, or 0 while active. */
    volatile long completedAt;
    /** Epoch millis of the last message, or of the counters' creation before the first. */
    volatile long lastActiveAt;

    ChannelStats(String channel, HeraldMetrics.NamespaceMeters meters, long createdAt) {
        this.channel = channel;
        this.meters = meters;
        this.lastActiveAt = createdAt;
    }

    /** Counts one publication at {@code ts}; {@code completes} when it completed the channel. */
    public void published(long ts, boolean completes) {
        published.increment();
        meters.published();
        if (startedAt == 0) {
            startedAt = ts;
        }
        lastActiveAt = ts;
        completedAt = completes ? ts : 0;
    }

    void delivered(long n) {
        if (n > 0) {
            delivered.add(n);
            meters.delivered(n);
        }
    }

    void coalesced(long n) {
        if (n > 0) {
            coalesced.add(n);
            meters.coalesced(n);
        }
    }

    void dropped(long n) {
        if (n > 0) {
            dropped.add(n);
            meters.dropped(n);
        }
    }

    /** A {@code lag} frame went to a slow client. */
    void lagFrame() {
        meters.lagEvent();
    }

    public String channel() {
        return channel;
    }

    public long published() {
        return published.sum();
    }

    public long delivered() {
        return delivered.sum();
    }

    public long coalesced() {
        return coalesced.sum();
    }

    public long dropped() {
        return dropped.sum();
    }

    public boolean completed() {
        return completedAt != 0;
    }

    /** Seconds from the first message to completion, or to {@code nowMillis} while active. */
    public double elapsedSeconds(long nowMillis) {
        long start = startedAt;
        if (start == 0) {
            return 0;
        }
        long end = completedAt != 0 ? completedAt : nowMillis;
        return Math.max(0, end - start) / 1000.0;
    }
}
