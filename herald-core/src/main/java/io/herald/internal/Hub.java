package io.herald.internal;

import io.herald.ChannelNames;
import io.herald.ClientSession;
import io.herald.Engine;
import io.herald.Outlet;
import io.herald.Publication;
import io.herald.StreamPosition;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local subscriptions of this node, by channel: the engine hands each publication here and
 * the hub fans it out to the subscribed sessions.
 *
 * <p>Why the position is read under the channel's lock: a publication is handed to the hub only
 * after the engine made its offset visible to {@link Engine#position}; reading the position while
 * holding the same lock the fan-out takes means a new subscriber either is in the fan-out of a
 * publication or has a {@code since} at or above its offset, never neither. So a subscriber misses
 * nothing after its position and gets nothing twice.
 */
public final class Hub implements Engine.PublicationSink {
    private final Engine engine;
    private final ConcurrentHashMap<String, ChannelSubscribers> channels = new ConcurrentHashMap<>();

    public Hub(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void deliver(Publication publication) {
        ChannelSubscribers subs = channels.get(publication.channel());
        if (subs != null) {
            subs.dispatch(publication);
        }
    }

    public ClientSession openSession(Outlet outlet) {
        return new LocalSession(this, outlet);
    }

    public int subscriberCount(String channel) {
        ChannelSubscribers subs = channels.get(channel);
        return subs == null ? 0 : subs.size();
    }

    StreamPosition subscribe(Subscription sub) {
        ChannelNames.validate(sub.channel);
        while (true) {
            ChannelSubscribers subs = channels.computeIfAbsent(sub.channel, ChannelSubscribers::new);
            synchronized (subs) {
                if (subs.removed) {
                    continue;
                }
                StreamPosition position = engine.position(sub.channel);
                sub.since = position.offset();
                subs.add(sub);
                return position;
            }
        }
    }

    void unsubscribe(Subscription sub) {
        ChannelSubscribers subs = channels.get(sub.channel);
        if (subs == null) {
            return;
        }
        synchronized (subs) {
            if (subs.remove(sub) && subs.size() == 0) {
                subs.removed = true;
                channels.remove(sub.channel, subs);
            }
        }
    }

    /** Channels with at least one local subscriber. */
    public Set<String> subscribedChannels() {
        return Set.copyOf(channels.keySet());
    }
}
