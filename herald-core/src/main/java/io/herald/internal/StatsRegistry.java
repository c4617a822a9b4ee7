package io.herald.internal;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** The counters of every channel this node knows, by name. Thread-safe. */
public final class StatsRegistry {
    private final HeraldMetrics metrics;
    private final ConcurrentHashMap<String, ChannelStats> channels = new ConcurrentHashMap<>();

    public StatsRegistry(HeraldMetrics metrics) {
        this.metrics = metrics;
    }

    public HeraldMetrics metrics() {
        return metrics;
    }

    /** The channel's counters, created on first use. */
    public ChannelStats of(String channel) {
        ChannelStats s = channels.get(channel);
        return s != null ? s : channels.computeIfAbsent(channel, c -> new ChannelStats(c, metrics.forChannel(c)));
    }

    public ChannelStats get(String channel) {
        return channels.get(channel);
    }

    public void remove(String channel) {
        channels.remove(channel);
    }

    public Collection<ChannelStats> all() {
        return channels.values();
    }
}
