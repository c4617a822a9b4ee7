package io.herald.internal;

import io.herald.ChannelNames;
import io.herald.Engine;
import io.herald.HeraldConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The core's meters (SPEC §7), labelled by namespace only, never by channel or connection, so
 * cardinality stays bounded: configured namespaces each get their label, the first
 * {@link #MAX_DYNAMIC_NAMESPACES} others seen too, and the rest share {@code _other}.
 * Thread-safe.
 */
public final class HeraldMetrics {
    /** Namespaces labelled by name beyond the configured ones; later ones are counted as {@code _other}. */
    public static final int MAX_DYNAMIC_NAMESPACES = 50;
    static final String OTHER = "_other";

    private final MeterRegistry registry;
    private final HeraldConfig config;
    private final Map<String, NamespaceMeters> byNamespace = new ConcurrentHashMap<>();
    private final Timer deliveryLatency;

    /** Counters of one namespace. */
    static final class NamespaceMeters {
        final Counter published;
        final Counter delivered;
        final Counter coalesced;
        final Counter dropped;
        final Counter lagEvents;

        NamespaceMeters(MeterRegistry r, String ns) {
            published = Counter.builder("herald.messages.published").tag("namespace", ns)
                    .description("Messages published").register(r);
            delivered = Counter.builder("herald.messages.delivered").tag("namespace", ns)
                    .description("Messages written to clients (one per message per client)").register(r);
            coalesced = Counter.builder("herald.messages.coalesced").tag("namespace", ns)
                    .description("Keyed values superseded before delivery, per client").register(r);
            dropped = Counter.builder("herald.messages.dropped").tag("namespace", ns)
                    .description("Plain messages dropped for slow clients (reported to them in lag frames)").register(r);
            lagEvents = Counter.builder("herald.lag.events").tag("namespace", ns)
                    .description("lag frames sent to slow clients").register(r);
        }
    }

    public HeraldMetrics(MeterRegistry registry, HeraldConfig config) {
        this.registry = registry;
        this.config = config;
        this.deliveryLatency = Timer.builder("herald.delivery.latency")
                .description("From publish to the frame being written, per message")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    /**
     * The node's history (SPEC §6), read from {@code engine} at each scrape: gauges of the channels
     * holding history, the messages held and the size of their data, and the evictions by reason.
     * Not labelled: the engine keeps node-wide totals, so a scrape costs a few sums.
     */
    public void registerHistory(Engine engine) {
        Gauge.builder("herald.history.channels", engine, e -> e.historyTotals().channels())
                .description("Channels whose history holds at least one message").register(registry);
        Gauge.builder("herald.history.messages", engine, e -> e.historyTotals().messages())
                .description("Messages held in history, over all channels").register(registry);
        Gauge.builder("herald.history.bytes", engine, e -> e.historyTotals().dataBytes()).baseUnit("bytes")
                .description("Size of the data (JSON text) of the messages held in history").register(registry);
        FunctionCounter.builder("herald.history.evictions", engine, e -> e.historyTotals().evictedBySize())
                .tag("reason", "size").description("Messages evicted from history: history.size reached").register(registry);
        FunctionCounter.builder("herald.history.evictions", engine, e -> e.historyTotals().evictedByTtl())
                .tag("reason", "ttl").description("Messages evicted from history: older than history.ttl").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    NamespaceMeters forChannel(String channel) {
        String ns = ChannelNames.namespace(channel);
        NamespaceMeters m = byNamespace.get(ns);
        if (m != null) {
            return m;
        }
        String label = config.namespaces().containsKey(ns) || byNamespace.size() < MAX_DYNAMIC_NAMESPACES ? ns : OTHER;
        return byNamespace.computeIfAbsent(label, l -> new NamespaceMeters(registry, l.isEmpty() ? "_default" : l));
    }

    void recordLatency(long millis) {
        deliveryLatency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }
}
