package io.herald.internal;

import io.herald.ClientSession;
import io.herald.Outlet;
import io.herald.Publication;
import io.herald.StreamPosition;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The core's side of one client connection. Confined to the outlet's event loop: every field is
 * read and written there only.
 */
final class LocalSession implements ClientSession {
    private final Hub hub;
    private final Outlet outlet;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private boolean closed;

    LocalSession(Hub hub, Outlet outlet) {
        this.hub = hub;
        this.outlet = outlet;
    }

    EventExecutor executor() {
        return outlet.executor();
    }

    /** Called on the loop by the channel's shard; {@code frame} stays owned by the caller. */
    void deliver(Publication p, ByteBuf frame) {
        if (!closed) {
            outlet.write(frame.retainedDuplicate());
        }
    }

    @Override
    public StreamPosition subscribe(String channel, Optional<Set<String>> events) {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        Subscription previous = subscriptions.remove(channel);
        if (previous != null) {
            hub.unsubscribe(previous);
        }
        Subscription sub = new Subscription(channel, this, events.filter(e -> !e.isEmpty()).map(Set::copyOf).orElse(null));
        StreamPosition position = hub.subscribe(sub);
        subscriptions.put(channel, sub);
        return position;
    }

    @Override
    public boolean unsubscribe(String channel) {
        Subscription sub = subscriptions.remove(channel);
        if (sub == null) {
            return false;
        }
        hub.unsubscribe(sub);
        return true;
    }

    @Override
    public Set<String> channels() {
        return Set.copyOf(subscriptions.keySet());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Subscription sub : subscriptions.values()) {
            hub.unsubscribe(sub);
        }
        subscriptions.clear();
    }
}
