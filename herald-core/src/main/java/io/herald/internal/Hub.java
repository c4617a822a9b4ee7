package io.herald.internal;

import io.herald.ChannelNames;
import io.herald.ClientSession;
import io.herald.Engine;
import io.herald.HeraldClock;
import io.herald.HeraldConfig;
import io.herald.Outlet;
import io.herald.Publication;
import io.herald.StreamPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local subscriptions of this node, by channel: the engine hands each publication here and
 * the hub fans it out to the subscribed sessions' event loops.
 *
 * <p>Why the position is read under the channel's lock: a publication is handed to the hub only
 * after the engine made its offset visible to {@link Engine#position}; reading the position while
 * holding the same lock the fan-out takes means a new subscriber either is in the fan-out of a
 * publication or has a {@code since} at or above its offset, never neither. So a subscriber misses
 * nothing after its position and gets nothing twice.
 */
public final class Hub implements Engine.PublicationSink {
    private final Engine engine;
    private final HeraldConfig config;
    private final HeraldClock clock;
    private final StatsRegistry stats;
    private final ConcurrentHashMap<String, ChannelSubscribers> channels = new ConcurrentHashMap<>();

    public Hub(Engine engine, HeraldConfig config, HeraldClock clock, StatsRegistry stats) {
        this.engine = engine;
        this.config = config;
        this.clock = clock;
        this.stats = stats;
    }

    StatsRegistry stats() {
        return stats;
    }

    @Override
    public void deliver(Publication publication) {
        ChannelSubscribers subs = channels.get(publication.channel());
        if (subs != null) {
            subs.dispatch(publication);
        }
    }

    @Override
    public void removed(String channel) {
        stats.remove(channel);
        ChannelSubscribers subs = channels.get(channel);
        if (subs != null) {
            subs.reset();
        }
    }

    /**
     * Sends every pending batch and throttled key of every channel now (graceful shutdown). The
     * future completes once each has been written to its subscribers, or to their backlogs.
     */
    public CompletableFuture<Void> flush() {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (ChannelSubscribers subs : channels.values()) {
            subs.flush(done);
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /** Ends every local subscription to {@code channel}, telling each client; returns how many there were. */
    public int evict(String channel, String reason) {
        ChannelSubscribers subs = channels.remove(channel);
        if (subs == null) {
            return 0;
        }
        synchronized (subs) {
            int n = subs.size();
            subs.removed = true;
            subs.evictAll(reason);
            return n;
        }
    }

    @Override
    public boolean hasSubscribers(String channel) {
        return subscriberCount(channel) > 0;
    }

    public ClientSession openSession(Outlet outlet) {
        return new LocalSession(this, outlet);
    }

    io.herald.NamespaceOptions options(String channel) {
        return config.optionsFor(channel);
    }

    public int subscriberCount(String channel) {
        ChannelSubscribers subs = channels.get(channel);
        return subs == null ? 0 : subs.size();
    }

    /** Channels with at least one local subscriber. */
    public Set<String> subscribedChannels() {
        return Set.copyOf(channels.keySet());
    }

    /** {@code channel}, or the equal String the hub already keys it by, so subscribers share one. */
    String canonicalName(String channel) {
        ChannelSubscribers subs = channels.get(channel);
        return subs != null ? subs.channel : channel;
    }

    StreamPosition subscribe(Subscription sub) {
        ChannelNames.validate(sub.channel);
        while (true) {
            ChannelSubscribers subs = channels.computeIfAbsent(sub.channel,
                    c -> new ChannelSubscribers(c, clock, config.optionsFor(c), stats));
            synchronized (subs) {
                if (subs.removed) {
                    continue;
                }
                stats.of(sub.channel);
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
}
