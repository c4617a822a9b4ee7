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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local subscriptions of this node, by channel: the engine hands each publication here and
 * the hub fans it out to the subscribed sessions' event loops.
 *
 * <p>Why the position is read under the channel's lock: a publication is handed to the hub only
 * after the engine made its offset visible to {@link Engine#position}; reading the position while
 * holding the same lock the fan-out takes means a new subscriber either is in the fan-out of a
 * publication or has a {@code since} at or above its offset, never neither. So a subscriber misses
 * nothing after its position and gets nothing twice. An interruption resets every subscriber under
 * that lock too, so one that joins during it either is reset or read the position after it.
 *
 * <p>The hub declares its interest to the engine ({@link Engine#subscribe}, {@link Engine#unsubscribe})
 * when a channel's record is created and dropped, under the record's lock: a channel's calls are
 * therefore issued one at a time, alternately.
 */
public final class Hub implements Engine.PublicationSink {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final Engine engine;
    private final HeraldConfig config;
    private final HeraldClock clock;
    private final StatsRegistry stats;
    private final Occupancy occupancy;
    private final ConcurrentHashMap<String, ChannelSubscribers> channels = new ConcurrentHashMap<>();

    /**
     * Told, under the channel's lock (so a channel's changes come in order), when a channel gains
     * its first local subscriber or loses its last; system channels ({@code $…}) are not told. Must
     * not block.
     */
    @FunctionalInterface
    public interface Occupancy {
        Occupancy NONE = (channel, occupied) -> { };

        void changed(String channel, boolean occupied);
    }

    public Hub(Engine engine, HeraldConfig config, HeraldClock clock, StatsRegistry stats, Occupancy occupancy) {
        this.engine = engine;
        this.config = config;
        this.clock = clock;
        this.stats = stats;
        this.occupancy = occupancy;
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

    /** The channel's stream restarts at {@code position}: counters start again, every subscriber takes it from there. */
    @Override
    public void interrupted(String channel, StreamPosition position) {
        stats.remove(channel);
        ChannelSubscribers subs = channels.get(channel);
        if (subs != null) {
            subs.reset(position.offset());
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
        ChannelSubscribers subs = channels.get(channel);
        if (subs == null) {
            return 0;
        }
        synchronized (subs) {
            if (subs.removed) {
                return 0; // its last subscriber left meanwhile
            }
            int n = subs.size();
            drop(subs);
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

    /** The channel's retained state (SPEC §6), for a subscriber that starts afresh. */
    CompletableFuture<java.util.List<io.herald.Publication>> retained(String channel) {
        return engine.retained(channel);
    }

    /** The channel's history after {@code since} (SPEC §6), for a subscriber that recovers. */
    CompletableFuture<io.herald.History> history(String channel, StreamPosition since, int limit) {
        return engine.history(channel, since, limit);
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
                if (!subs.interested) {
                    subs.interested = true;
                    declare(sub.channel, engine.subscribe(sub.channel), "subscribe");
                }
                stats.of(sub.channel);
                StreamPosition position = engine.position(sub.channel);
                sub.since = position.offset();
                subs.add(sub);
                if (!subs.occupied && !ChannelNames.isSystem(sub.channel)) {
                    subs.occupied = true;
                    occupancy.changed(sub.channel, true);
                }
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
                drop(subs);
            }
        }
    }

    /** Drops {@code subs} from the hub and withdraws its interest; caller holds its lock. */
    private void drop(ChannelSubscribers subs) {
        subs.removed = true;
        if (subs.occupied) {
            subs.occupied = false;
            occupancy.changed(subs.channel, false);
        }
        if (subs.interested) {
            declare(subs.channel, engine.unsubscribe(subs.channel), "unsubscribe");
        }
        channels.remove(subs.channel, subs);
    }

    private static void declare(String channel, CompletableFuture<Void> call, String what) {
        call.whenComplete((v, err) -> {
            if (err != null) {
                log.warn("engine {} of {} failed; the engine retries when it can: {}", what, channel, err.toString());
            }
        });
    }
}
