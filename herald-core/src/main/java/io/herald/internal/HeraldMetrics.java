package io.herald.internal;

import io.herald.ChannelNames;
import io.herald.HeraldConfig;
import io.micrometer.core.instrument.Counter;
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
