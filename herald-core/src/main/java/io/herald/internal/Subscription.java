package io.herald.internal;

import io.herald.Publication;
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
    long since;

    Subscription(String channel, LocalSession session, Set<String> events) {
        this.channel = channel;
        this.session = session;
        this.events = events;
    }

    boolean accepts(Publication p) {
        return p.offset() > since && (events == null || events.contains(p.event()));
    }
}
