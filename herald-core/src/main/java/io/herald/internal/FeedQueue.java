package io.herald.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames a {@link ChannelFeed} emitted while a pass over its members was still under way:
 * what waits when the event loop itself cannot keep up with a channel's publish rate. Bounded
 * like a slow subscriber's {@link Backlog}, but for every member of the feed at once: past
 * {@code boundBytes} the oldest plain messages are dropped and counted, to be reported to each
 * member in a {@code lag} frame before the next frame; critical and keyed messages are kept; if
 * they alone exceed the hard bound, {@link #add} says so and the feed's members are closed with
 * 4003 (they recover from history).
 *
 * <p>Not thread-safe: confined to the feed's event loop.
 */
final class FeedQueue {
    private final long boundBytes;
    private final long hardBoundBytes;
    private final ArrayDeque<List<Encoded>> frames = new ArrayDeque<>();
    /** Bytes of every queued message, and of those that must not be dropped (critical, keyed). */
    private long bytes;
    private long keptBytes;
    /** Plain messages dropped since the last {@link #takeSkipped}, and the highest offset among them. */
    private long skipped;
    private long skippedUpTo;

    FeedQueue(long boundBytes) {
        this.boundBytes = boundBytes;
        this.hardBoundBytes = boundBytes * Backlog.HARD_BOUND_FACTOR;
    }

    /**
     * Queues {@code frame} behind the others, dropping the oldest plain messages past the bound.
     * Returns false when what cannot be dropped alone exceeds the hard bound.
     */
    boolean add(List<Encoded> frame) {
        frames.add(frame);
        for (Encoded m : frame) {
            bytes += m.element().length;
            if (!droppable(m)) {
                keptBytes += m.element().length;
            }
        }
        if (bytes > boundBytes) {
            dropOldestPlain();
        }
        return keptBytes <= hardBoundBytes;
    }

    private static boolean droppable(Encoded m) {
        return !m.critical() && m.key() == null;
    }

    private void dropOldestPlain() {
        List<List<Encoded>> kept = new ArrayList<>();
        while (bytes > boundBytes && !frames.isEmpty()) {
            List<Encoded> frame = frames.poll();
            List<Encoded> rest = new ArrayList<>(frame.size());
            for (Encoded m : frame) {
                if (bytes > boundBytes && droppable(m)) {
                    bytes -= m.element().length;
                    skipped++;
                    skippedUpTo = Math.max(skippedUpTo, m.offset());
                } else {
                    rest.add(m);
                }
            }
            if (!rest.isEmpty()) {
                kept.add(rest.size() == frame.size() ? frame : rest);
            }
        }
        for (int i = kept.size() - 1; i >= 0; i--) {
            frames.addFirst(kept.get(i));
        }
    }

    /** The oldest queued frame, or null. */
    List<Encoded> poll() {
        List<Encoded> frame = frames.poll();
        if (frame != null) {
            for (Encoded m : frame) {
                bytes -= m.element().length;
                if (!droppable(m)) {
                    keptBytes -= m.element().length;
                }
            }
        }
        return frame;
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    /** Whether messages were dropped that no member has been told of yet. */
    boolean hasSkipped() {
        return skipped > 0;
    }

    /** The messages dropped since the last call, to announce; resets the count. */
    Skipped takeSkipped() {
        Skipped s = skipped == 0 ? Skipped.NONE : new Skipped(skipped, skippedUpTo);
        skipped = 0;
        skippedUpTo = 0;
        return s;
    }

    /** Forgets everything (the feed's members were closed). */
    void clear() {
        frames.clear();
        bytes = 0;
        keptBytes = 0;
        skipped = 0;
        skippedUpTo = 0;
    }

    long bytes() {
        return bytes;
    }

    /**
     * Plain messages dropped for a whole feed: {@code count} of them, none above {@code upTo}.
     * A member that subscribed after them (its {@code since} at or past {@code upTo}) missed
     * none; any other is told of all of them (an event filter is not applied: telling a client of
     * a loss it would not have seen is safe, the reverse is not).
     */
    record Skipped(long count, long upTo) {
        static final Skipped NONE = new Skipped(0, 0);

        long forMember(long since) {
            return since >= upTo ? 0 : count;
        }
    }
}
