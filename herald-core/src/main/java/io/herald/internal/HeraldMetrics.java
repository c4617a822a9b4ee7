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
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The core's meters (SPEC §7), labelled by namespace only, never by channel or connection, so
 * cardinality stays bounded: configured namespaces each get their label, the first
 * {@link #MAX_DYNAMIC_NAMESPACES} others seen too, and the rest share {@code _other}. Beside them,
 * totals of every namespace but Herald's own ({@code $…}) for the live stats, and, while someone
 * watches those, the delivery latencies of the current interval. Thread-safe.
 */
public final class HeraldMetrics {
    /** Namespaces labelled by name beyond the configured ones; later ones are counted as {@code _other}. */
    public static final int MAX_DYNAMIC_NAMESPACES = 50;
    static final String OTHER = "_other";
    /** The label of Herald's own namespaces past the cap: still kept out of the {@link Totals}. */
    static final String SYSTEM_OTHER = "$other";

    private final MeterRegistry registry;
    private final HeraldConfig config;
    private final Map<String, NamespaceMeters> byNamespace = new ConcurrentHashMap<>();
    private final Timer deliveryLatency;
    private final Totals totals = new Totals();
    /** Latencies in milliseconds since the last {@link #intervalLatency}, recorded only while {@link #watching}. */
    private final Recorder latencyRecorder = new Recorder(3);
    private Histogram recycledInterval;
    private volatile boolean watching;

    /** Messages of every namespace but Herald's own, since start: what the live stats show. */
    public static final class Totals {
        final LongAdder published = new LongAdder();
        final LongAdder delivered = new LongAdder();
        final LongAdder coalesced = new LongAdder();
        final LongAdder dropped = new LongAdder();
        final LongAdder lagEvents = new LongAdder();

        public long published() {
            return published.sum();
        }

        public long delivered() {
            return delivered.sum();
        }

        public long coalesced() {
            return coalesced.sum();
        }

        public long dropped() {
            return dropped.sum();
        }

        public long lagEvents() {
            return lagEvents.sum();
        }
    }

    /** Counters of one namespace; those of Herald's own namespaces ({@code $…}) stay out of the {@link Totals}. */
    static final class NamespaceMeters {
        private final Counter published;
        private final Counter delivered;
        private final Counter coalesced;
        private final Counter dropped;
        private final Counter lagEvents;
        /** Where these messages are added up too, or null for a system namespace. */
        private final Totals totals;

        NamespaceMeters(MeterRegistry r, String ns, Totals totals) {
            this.totals = ChannelNames.isSystem(ns) ? null : totals;
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

        void published() {
            published.increment();
            if (totals != null) {
                totals.published.increment();
            }
        }

        void delivered(long n) {
            delivered.increment(n);
            if (totals != null) {
                totals.delivered.add(n);
            }
        }

        void coalesced(long n) {
            coalesced.increment(n);
            if (totals != null) {
                totals.coalesced.add(n);
            }
        }

        void dropped(long n) {
            dropped.increment(n);
            if (totals != null) {
                totals.dropped.add(n);
            }
        }

        void lagEvent() {
            lagEvents.increment();
            if (totals != null) {
                totals.lagEvents.increment();
            }
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
        String label = config.namespaces().containsKey(ns) || byNamespace.size() < MAX_DYNAMIC_NAMESPACES ? ns
                : ChannelNames.isSystem(ns) ? SYSTEM_OTHER : OTHER;
        return byNamespace.computeIfAbsent(label, l -> new NamespaceMeters(registry, l.isEmpty() ? "_default" : l, totals));
    }

    /** Messages since start, Herald's own channels excepted. */
    public Totals totals() {
        return totals;
    }

    /** Records a delivery's latency; {@code live}: also for the live stats (not a system channel's). */
    void recordLatency(long millis, boolean live) {
        long ms = Math.max(0, millis);
        deliveryLatency.record(ms, TimeUnit.MILLISECONDS);
        if (live && watching) {
            latencyRecorder.recordValue(ms);
        }
    }

    /**
     * Starts or stops recording latencies for {@link #intervalLatency()}: only while someone watches
     * the live stats does the delivery path pay for it.
     */
    public void watchLatency(boolean on) {
        watching = on;
    }

    /**
     * The latencies in milliseconds recorded since the last call (exact percentiles, unlike the
     * timer's histogram buckets). The histogram returned is reused by the next call. Called from one
     * thread at a time.
     */
    public synchronized Histogram intervalLatency() {
        recycledInterval = latencyRecorder.getIntervalHistogram(recycledInterval);
        return recycledInterval;
    }
}
