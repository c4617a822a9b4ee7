package io.herald.internal;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Channels that completed and have since been removed (after their {@code cleanupDelay}, or
 * deleted), kept as counts and sums per minute of removal for a window, so that the node's
 * completed-channel count and average elapsed time outlive the channels themselves without
 * holding anything per channel. Bounded: one bucket per minute of the window and namespace seen in
 * it. Thread-safe (synchronized; touched once per removed channel and per stats read).
 */
final class CompletedChannels {
    private static final long MINUTE_MILLIS = 60_000;

    /** One minute's completed channels of one namespace. */
    private static final class Bucket {
        final long minute;
        final String namespace;
        long channels;
        double elapsedSeconds;
        long published;

        Bucket(long minute, String namespace) {
            this.minute = minute;
            this.namespace = namespace;
        }
    }

    /** The sums over the window, for one namespace or all. */
    record Totals(long channels, double elapsedSeconds, long published) {
        static final Totals NONE = new Totals(0, 0, 0);
    }

    private final long windowMillis;
    /** Oldest first; a minute's buckets are adjacent. */
    private final ArrayDeque<Bucket> buckets = new ArrayDeque<>();

    CompletedChannels(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    long windowMillis() {
        return windowMillis;
    }

    synchronized void add(String namespace, double elapsedSeconds, long published, long nowMillis) {
        expire(nowMillis);
        long minute = nowMillis / MINUTE_MILLIS;
        Bucket into = null;
        for (Iterator<Bucket> it = buckets.descendingIterator(); it.hasNext();) {
            Bucket b = it.next();
            if (b.minute != minute) {
                break;
            }
            if (b.namespace.equals(namespace)) {
                into = b;
                break;
            }
        }
        if (into == null) {
            into = new Bucket(minute, namespace);
            buckets.addLast(into);
        }
        into.channels++;
        into.elapsedSeconds += elapsedSeconds;
        into.published += published;
    }

    /** The channels removed within the window, of {@code namespace} or, when null, of every namespace. */
    synchronized Totals totals(String namespace, long nowMillis) {
        expire(nowMillis);
        long channels = 0;
        double elapsed = 0;
        long published = 0;
        for (Bucket b : buckets) {
            if (namespace == null || b.namespace.equals(namespace)) {
                channels += b.channels;
                elapsed += b.elapsedSeconds;
                published += b.published;
            }
        }
        return channels == 0 ? Totals.NONE : new Totals(channels, elapsed, published);
    }

    /** Drops the minutes that ended before the window began. */
    private void expire(long nowMillis) {
        long oldestKept = (nowMillis - windowMillis) / MINUTE_MILLIS;
        while (!buckets.isEmpty() && buckets.peekFirst().minute < oldestKept) {
            buckets.pollFirst();
        }
    }
}
