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
    /**
     * Catching up from history, a page at a time (a recovery larger than the outbound buffer): the
     * offset the catch-up must reach before the subscription follows the live stream again, or
     * {@link #NOT_CATCHING_UP}. Live messages meanwhile are not kept (history has them); they
     * raise it. Loop-confined, as are the two fields that follow.
     */
    long catchUpTo = NOT_CATCHING_UP;
    /** The epoch of the catch-up and the last offset it has put in the backlog. */
    String catchUpEpoch;
    long catchUpFrom;
    /** The highest live offset seen while recovering: where a catch-up must reach. Loop-confined. */
    long seenUpTo;

    static final long NOT_CATCHING_UP = -1;

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
