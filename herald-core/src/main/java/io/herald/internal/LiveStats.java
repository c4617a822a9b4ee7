package io.herald.internal;

import io.herald.ChannelNames;
import io.herald.ChannelSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.ToIntFunction;
import org.HdrHistogram.Histogram;

/**
 * The core's part of the snapshot Herald publishes on {@code $herald:stats} (the dashboard's data):
 * this node's channels, its busiest channels, message totals and the delivery latencies of the
 * last interval. Totals, not rates, so a reader derives rates from two snapshots and a missed one
 * costs nothing; only the busiest channels come with a rate, since a reader cannot keep the
 * counters of every channel. Herald's own channels ({@code $…}) are left out, so watching does not
 * show up in what is watched. Not thread-safe: one ticker calls {@link #snapshot}.
 */
public final class LiveStats {
    /** How many of the busiest channels a snapshot lists. */
    public static final int TOP_CHANNELS = 10;

    private final StatsRegistry stats;
    private final ToIntFunction<String> subscribers;
    private final String nodeId;
    private final long startedAt;
    /** Each channel's published count at the last snapshot, to rank channels by rate. */
    private Map<String, Long> lastPublished = new HashMap<>();
    private long lastAt;

    public LiveStats(StatsRegistry stats, ToIntFunction<String> subscribers, String nodeId, long startedAt) {
        this.stats = stats;
        this.subscribers = subscribers;
        this.nodeId = nodeId;
        this.startedAt = startedAt;
    }

    /**
     * The snapshot at {@code now} (epoch millis), as JSON-ready values with snake_case keys. The
     * busiest channels are ranked by what they published since the previous snapshot; with
     * {@code continued} false (nobody watched a tick ago) there is no previous one to count from,
     * and the list is empty.
     */
    public Map<String, Object> snapshot(long now, boolean continued) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("node", nodeId);
        s.put("ts", now);
        s.put("uptime_seconds", Math.max(0, now - startedAt) / 1000);

        double seconds = continued && lastAt > 0 && now > lastAt ? (now - lastAt) / 1000.0 : 0;
        Map<String, Long> published = new HashMap<>(Math.max(16, lastPublished.size() * 2));
        PriorityQueue<Busy> top = new PriorityQueue<>(TOP_CHANNELS + 1, (a, b) -> Long.compare(a.delta, b.delta));
        for (ChannelStats c : stats.all()) {
            long n = c.published();
            if (ChannelNames.isSystem(c.channel)) {
                continue;
            }
            published.put(c.channel, n);
            Long before = lastPublished.get(c.channel);
            long delta = before == null ? n : n - before;
            if (seconds > 0 && delta > 0 && (top.size() < TOP_CHANNELS || delta > top.peek().delta)) {
                top.add(new Busy(c, n, delta));
                if (top.size() > TOP_CHANNELS) {
                    top.poll();
                }
            }
        }
        lastPublished = published;
        lastAt = now;

        ChannelSummary summary = stats.summary(null, false);
        Map<String, Object> channels = new LinkedHashMap<>();
        channels.put("active", summary.active());
        channels.put("idle", summary.idle());
        channels.put("completed", summary.completed());
        channels.put("total", summary.total());
        s.put("channels", channels);

        List<Busy> busiest = new ArrayList<>(top);
        busiest.sort((a, b) -> Long.compare(b.delta, a.delta));
        List<Map<String, Object>> topList = new ArrayList<>(busiest.size());
        for (Busy b : busiest) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("channel", b.stats.channel);
            m.put("published", b.published);
            m.put("per_second", Math.round(b.delta / seconds * 10) / 10.0);
            m.put("subscribers", subscribers.applyAsInt(b.stats.channel));
            m.put("delivered", b.stats.delivered());
            topList.add(m);
        }
        s.put("top_channels", topList);

        HeraldMetrics.Totals t = stats.metrics().totals();
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put("published", t.published());
        messages.put("delivered", t.delivered());
        messages.put("coalesced", t.coalesced());
        messages.put("dropped", t.dropped());
        messages.put("lag_events", t.lagEvents());
        s.put("messages", messages);

        s.put("latency_ms", latency(stats.metrics().intervalLatency()));
        return s;
    }

    /** Publish-to-write latency percentiles of the interval; {@code null} percentiles when nothing was delivered. */
    private static Map<String, Object> latency(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        long count = h.getTotalCount();
        m.put("count", count);
        m.put("p50", count == 0 ? null : h.getValueAtPercentile(50));
        m.put("p90", count == 0 ? null : h.getValueAtPercentile(90));
        m.put("p99", count == 0 ? null : h.getValueAtPercentile(99));
        m.put("p999", count == 0 ? null : h.getValueAtPercentile(99.9));
        m.put("max", count == 0 ? null : h.getMaxValue());
        return m;
    }

    private record Busy(ChannelStats stats, long published, long delta) {
    }
}
