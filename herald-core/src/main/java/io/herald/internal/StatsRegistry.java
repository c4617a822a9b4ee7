package io.herald.internal;

import io.herald.ChannelNames;
import io.herald.ChannelSummary;
import io.herald.HeraldClock;
import io.herald.HeraldConfig;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The counters of every channel this node knows, by name, and of the completed channels it no
 * longer holds (for {@code stats.window}). A channel's counters go when the channel does: removed
 * after its {@code cleanupDelay} (completed, or idle with no subscriber here), deleted, or reset by
 * its engine; a completed channel's then fold into the window's aggregate, so nothing is held per
 * channel once it is gone. Thread-safe.
 */
public final class StatsRegistry {
    private final HeraldMetrics metrics;
    private final HeraldClock clock;
    private final CompletedChannels completed;
    private final ConcurrentHashMap<String, ChannelStats> channels = new ConcurrentHashMap<>();

    public StatsRegistry(HeraldMetrics metrics, HeraldClock clock, HeraldConfig config) {
        this.metrics = metrics;
        this.clock = clock;
        this.completed = new CompletedChannels(config.statsWindow().toMillis());
    }

    public HeraldMetrics metrics() {
        return metrics;
    }

    /** The channel's counters, created on first use. */
    public ChannelStats of(String channel) {
        ChannelStats s = channels.get(channel);
        return s != null ? s : channels.computeIfAbsent(channel,
                c -> new ChannelStats(c, metrics.forChannel(c), clock.epochMillis()));
    }

    public ChannelStats get(String channel) {
        return channels.get(channel);
    }

    /** The channel is gone (removed, deleted or reset): drops its counters, keeping a completed one in the aggregate. */
    public void remove(String channel) {
        ChannelStats s = channels.remove(channel);
        if (s != null && s.completed()) {
            long now = clock.epochMillis();
            completed.add(ChannelNames.namespace(channel), s.elapsedSeconds(now), s.published(), now);
        }
    }

    public Collection<ChannelStats> all() {
        return channels.values();
    }

    /**
     * Drops the counters of channels past their {@code cleanupDelay}: completed that long ago, or
     * with no message for that long and no subscriber here ({@code subscribed}). The engine's own
     * sweep usually got there first ({@link Hub#interrupted}); this covers channels it never held
     * (subscribed to, never published) and engines that keep a channel longer. Returns how many went.
     */
    public int sweep(HeraldConfig config, Predicate<String> subscribed) {
        long now = clock.epochMillis();
        int removed = 0;
        for (ChannelStats s : channels.values()) {
            long delay = config.optionsFor(s.channel).cleanupDelay().toMillis();
            long completedAt = s.completedAt;
            boolean gone = completedAt != 0 ? now - completedAt >= delay
                    : now - s.lastActiveAt >= delay && !subscribed.test(s.channel);
            if (gone && channels.get(s.channel) == s) {
                remove(s.channel);
                removed++;
            }
        }
        return removed;
    }

    /**
     * The channels in aggregate, of {@code namespace} or, when null, of every namespace; Herald's
     * own channels ({@code $…}) only when {@code system} is true or {@code namespace} is theirs.
     */
    public ChannelSummary summary(String namespace, boolean system) {
        boolean withSystem = system || namespace != null && ChannelNames.isSystem(namespace);
        long now = clock.epochMillis();
        long active = 0;
        long idle = 0;
        long done = 0;
        double elapsed = 0;
        long messages = 0;
        long all = 0;
        for (ChannelStats s : channels.values()) {
            if (namespace != null && !ChannelNames.namespace(s.channel).equals(namespace)
                    || !withSystem && ChannelNames.isSystem(s.channel)) {
                continue;
            }
            long published = s.published();
            all += published;
            if (s.completed()) {
                done++;
                elapsed += s.elapsedSeconds(now);
                messages += published;
            } else if (published > 0) {
                active++;
            } else {
                idle++;
            }
        }
        CompletedChannels.Totals gone = completed.totals(namespace, now);
        done += gone.channels();
        elapsed += gone.elapsedSeconds();
        messages += gone.published();
        all += gone.published();
        return new ChannelSummary(active, idle, done, done == 0 ? 0 : elapsed / done, all, messages,
                completed.windowMillis() / 1000);
    }
}
