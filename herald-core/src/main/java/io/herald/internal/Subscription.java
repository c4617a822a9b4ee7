package io.herald.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One session's subscription to one channel. {@code since} is set under the channel's hub lock
 * before the subscription becomes visible to deliveries, which read it on the session's loop.
 */
final class Subscription {
    final String channel;
    final LocalSession session;
    /** Event names to deliver, or {@code null} for all. */
    final Set<String> events;
    /** Publications at or below this offset predate the subscription and are not delivered. */
    volatile long since;
    /** Messages waiting while the client's socket is not writable; {@code null} while in step. Loop-confined. */
    Backlog backlog;
    /**
     * Recovering: history is being read, and what arrives live meanwhile waits in the backlog
     * behind it. Loop-confined.
     */
    boolean replaying;
    /** A recovery under way ({@link LocalSession}'s hold and catch-up); null once the subscription follows the live stream. Loop-confined. */
    Recovery recovery;

    static final long NOT_CATCHING_UP = -1;

    /**
     * A recovery's bookkeeping, kept apart so that the many subscriptions that never recover pay one
     * field for it. Loop-confined.
     */
    static final class Recovery {
        /** The highest live offset seen while history is read: where a catch-up must reach. */
        long seenUpTo;
        /**
         * Catching up from history a page at a time (a recovery larger than the outbound buffer):
         * the offset to reach before the live stream, or {@link #NOT_CATCHING_UP}. Live messages
         * meanwhile are not kept (history has them); they raise it.
         */
        long catchUpTo = NOT_CATCHING_UP;
        /** The catch-up's epoch and the last offset it has put in the backlog. */
        String epoch;
        long from;

        Recovery(long seenUpTo) {
            this.seenUpTo = seenUpTo;
        }

        boolean catchingUp() {
            return catchUpTo != NOT_CATCHING_UP;
        }
    }

    /** Whether a catch-up from history is under way (between its pages or in one). */
    boolean catchingUp() {
        Recovery r = recovery;
        return r != null && r.catchingUp();
    }

    /**
     * Live offsets up to {@code offset} reached this subscription while it recovers: noted, and
     * true when they need not be kept (a catch-up under way reads them from history).
     */
    boolean absorbLive(long offset) {
        Recovery r = recovery;
        if (r == null) {
            return false;
        }
        if (r.catchingUp()) {
            r.catchUpTo = Math.max(r.catchUpTo, offset);
            return true;
        }
        r.seenUpTo = Math.max(r.seenUpTo, offset);
        return false;
    }

    Subscription(String channel, LocalSession session, Set<String> events) {
        this.channel = channel;
        this.session = session;
        this.events = events;
    }

    /**
     * The part of {@code frame} this subscription receives: {@code frame} itself in the common
     * case (so the frame encoded once can be shared), else a filtered copy, possibly empty.
     */
    List<Encoded> select(List<Encoded> frame) {
        long after = since;
        if (events == null && frame.get(0).offset() > after) {
            return frame;
        }
        List<Encoded> mine = new ArrayList<>(frame.size());
        for (Encoded m : frame) {
            if (m.offset() > after && (events == null || events.contains(m.event()))) {
                mine.add(m);
            }
        }
        return mine.size() == frame.size() ? frame : mine;
    }
}
