package io.herald;

import java.time.Duration;
import java.util.Set;

/**
 * Delivery options of one namespace (SPEC §4). Immutable; build with {@link #newBuilder()} or
 * {@link #toBuilder()}. Every option has a {@code DEFAULT_*}; {@link Preset}s set coherent groups.
 */
public final class NamespaceOptions {
    public static final Duration DEFAULT_BATCH_INTERVAL = Duration.ofMillis(100);
    public static final int DEFAULT_BATCH_MAX_SIZE = 50;
    /** Deliveries of one key to one connection per second. */
    public static final int DEFAULT_THROTTLE_RATE = 10;
    public static final Duration DEFAULT_CLEANUP_DELAY = Duration.ofMinutes(5);
    public static final int DEFAULT_HISTORY_SIZE = 100;
    public static final Duration DEFAULT_HISTORY_TTL = Duration.ofMinutes(5);
    /** Keys a retained channel keeps at most. */
    public static final int DEFAULT_RETAINED_MAX_KEYS = 1000;
    public static final long DEFAULT_OUTBOUND_BUFFER_BYTES = 1024 * 1024;

    /** The options every namespace has unless configured otherwise. */
    public static final NamespaceOptions DEFAULTS = newBuilder().build();

    private final Duration batchInterval;
    private final int batchMaxSize;
    private final int throttleRate;
    private final Set<String> critical;
    private final Set<String> coalesce;
    private final Set<String> completeOn;
    private final Duration cleanupDelay;
    private final int historySize;
    private final Duration historyTtl;
    private final boolean retained;
    private final int retainedMaxKeys;
    private final long outboundBufferBytes;

    private NamespaceOptions(Builder b) {
        this.batchInterval = b.batchInterval;
        this.batchMaxSize = b.batchMaxSize;
        this.throttleRate = b.throttleRate;
        this.critical = Set.copyOf(b.critical);
        this.coalesce = Set.copyOf(b.coalesce);
        this.completeOn = Set.copyOf(b.completeOn);
        this.cleanupDelay = b.cleanupDelay;
        this.historySize = b.historySize;
        this.historyTtl = b.historyTtl;
        this.retained = b.retained;
        this.retainedMaxKeys = b.retainedMaxKeys;
        this.outboundBufferBytes = b.outboundBufferBytes;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.batchInterval = batchInterval;
        b.batchMaxSize = batchMaxSize;
        b.throttleRate = throttleRate;
        b.critical = critical;
        b.coalesce = coalesce;
        b.completeOn = completeOn;
        b.cleanupDelay = cleanupDelay;
        b.historySize = historySize;
        b.historyTtl = historyTtl;
        b.retained = retained;
        b.retainedMaxKeys = retainedMaxKeys;
        b.outboundBufferBytes = outboundBufferBytes;
        return b;
    }

    /** How long keyed and plain messages collect before a batch goes out (default 100 ms). */
    public Duration batchInterval() {
        return batchInterval;
    }

    /** A batch goes out as soon as it holds this many messages (default 50). */
    public int batchMaxSize() {
        return batchMaxSize;
    }

    /** Deliveries per second of one key to one connection (default 10). */
    public int throttleRate() {
        return throttleRate;
    }

    /** Event names that are always critical in this namespace. */
    public Set<String> critical() {
        return critical;
    }

    /** Event names that are keyed by their event name in this namespace. */
    public Set<String> coalesce() {
        return coalesce;
    }

    /** Event names that complete their channel. */
    public Set<String> completeOn() {
        return completeOn;
    }

    /** How long a completed channel keeps its state before removal (default 5 min). */
    public Duration cleanupDelay() {
        return cleanupDelay;
    }

    /** Messages of history kept per channel (default 100); 0 keeps none. */
    public int historySize() {
        return historySize;
    }

    /** How long a message stays in history, on the Herald clock (default 5 min). */
    public Duration historyTtl() {
        return historyTtl;
    }

    /** Whether the channel keeps the latest message per key as state for new subscribers (default off). */
    public boolean retained() {
        return retained;
    }

    /**
     * The most keys a retained channel keeps (default 1000); a publish that would add one more fails
     * with {@code too_large}. Ignored unless {@link #retained()}.
     */
    public int retainedMaxKeys() {
        return retainedMaxKeys;
    }

    /** The bound of one connection's outbound buffer in bytes (default 1 MiB). */
    public long outboundBufferBytes() {
        return outboundBufferBytes;
    }

    /** Whether {@code event} is critical here, or the message says so. */
    public boolean isCritical(Message m) {
        return m.critical() || critical.contains(m.event());
    }

    @Override
    public String toString() {
        return "NamespaceOptions{batchInterval=" + batchInterval + ", batchMaxSize=" + batchMaxSize
                + ", throttleRate=" + throttleRate + ", critical=" + critical + ", coalesce=" + coalesce
                + ", completeOn=" + completeOn + ", cleanupDelay=" + cleanupDelay + ", historySize=" + historySize
                + ", historyTtl=" + historyTtl + ", retained=" + retained + ", retainedMaxKeys=" + retainedMaxKeys
                + ", outboundBufferBytes=" + outboundBufferBytes + '}';
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamespaceOptions n
                && batchInterval.equals(n.batchInterval)
                && batchMaxSize == n.batchMaxSize
                && throttleRate == n.throttleRate
                && critical.equals(n.critical)
                && coalesce.equals(n.coalesce)
                && completeOn.equals(n.completeOn)
                && cleanupDelay.equals(n.cleanupDelay)
                && historySize == n.historySize
                && historyTtl.equals(n.historyTtl)
                && retained == n.retained
                && retainedMaxKeys == n.retainedMaxKeys
                && outboundBufferBytes == n.outboundBufferBytes;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(batchInterval, batchMaxSize, throttleRate, critical, coalesce, completeOn,
                cleanupDelay, historySize, historyTtl, retained, retainedMaxKeys, outboundBufferBytes);
    }

    /** Builds {@link NamespaceOptions}; {@link #build()} validates and names the offending option. */
    public static final class Builder {
        private Duration batchInterval = DEFAULT_BATCH_INTERVAL;
        private int batchMaxSize = DEFAULT_BATCH_MAX_SIZE;
        private int throttleRate = DEFAULT_THROTTLE_RATE;
        private Set<String> critical = Set.of();
        private Set<String> coalesce = Set.of();
        private Set<String> completeOn = Set.of();
        private Duration cleanupDelay = DEFAULT_CLEANUP_DELAY;
        private int historySize = DEFAULT_HISTORY_SIZE;
        private Duration historyTtl = DEFAULT_HISTORY_TTL;
        private boolean retained;
        private int retainedMaxKeys = DEFAULT_RETAINED_MAX_KEYS;
        private long outboundBufferBytes = DEFAULT_OUTBOUND_BUFFER_BYTES;

        private Builder() {
        }

        public Builder batchInterval(Duration v) {
            batchInterval = v;
            return this;
        }

        public Builder batchMaxSize(int v) {
            batchMaxSize = v;
            return this;
        }

        public Builder throttleRate(int v) {
            throttleRate = v;
            return this;
        }

        public Builder critical(Set<String> v) {
            critical = v;
            return this;
        }

        public Builder coalesce(Set<String> v) {
            coalesce = v;
            return this;
        }

        public Builder completeOn(Set<String> v) {
            completeOn = v;
            return this;
        }

        public Builder cleanupDelay(Duration v) {
            cleanupDelay = v;
            return this;
        }

        public Builder historySize(int v) {
            historySize = v;
            return this;
        }

        public Builder historyTtl(Duration v) {
            historyTtl = v;
            return this;
        }

        public Builder retained(boolean v) {
            retained = v;
            return this;
        }

        public Builder retainedMaxKeys(int v) {
            retainedMaxKeys = v;
            return this;
        }

        public Builder outboundBufferBytes(long v) {
            outboundBufferBytes = v;
            return this;
        }

        /** Applies a preset's values over the current ones. */
        public Builder preset(Preset preset) {
            preset.applyTo(this);
            return this;
        }

        /** @throws IllegalArgumentException naming the option and the problem */
        public NamespaceOptions build() {
            requirePositive("batch.interval", batchInterval);
            requireRange("batch.maxSize", batchMaxSize, 1, 10_000);
            requireRange("throttle.rate", throttleRate, 0, 10_000);
            requirePositive("cleanupDelay", cleanupDelay);
            requireRange("history.size", historySize, 0, 1_000_000);
            requirePositive("history.ttl", historyTtl);
            requireRange("retained.maxKeys", retainedMaxKeys, 1, 1_000_000);
            if (outboundBufferBytes < 1024) {
                throw new IllegalArgumentException("outboundBuffer must be at least 1KiB, was " + outboundBufferBytes);
            }
            if (critical == null || coalesce == null || completeOn == null) {
                throw new IllegalArgumentException("critical, coalesce and completeOn must be lists, not null");
            }
            return new NamespaceOptions(this);
        }

        private static void requirePositive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
            }
        }

        private static void requireRange(String name, long v, long min, long max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + v);
            }
        }
    }
}
