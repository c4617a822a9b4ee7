package io.herald;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The core's configuration: default namespace options and per-namespace overrides (SPEC §4).
 * Immutable and thread-safe.
 */
public final class HeraldConfig {
    /** How long a completed channel still counts in the stats after it is removed, by default. */
    public static final Duration DEFAULT_STATS_WINDOW = Duration.ofHours(1);

    /** The default configuration: every namespace on {@link NamespaceOptions#DEFAULTS}. */
    public static final HeraldConfig DEFAULTS = newBuilder().build();

    /** What a {@code node.id} may hold: 1 to 64 of A-Z a-z 0-9 . _ - */
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final NamespaceOptions defaults;
    private final Map<String, NamespaceOptions> namespaces;
    private final Duration statsWindow;
    private final Optional<String> nodeId;

    private HeraldConfig(Builder b) {
        this.defaults = b.defaults;
        this.namespaces = Map.copyOf(b.namespaces);
        this.statsWindow = b.statsWindow;
        this.nodeId = b.nodeId;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().defaults(defaults).namespaces(namespaces).statsWindow(statsWindow);
        b.nodeId = nodeId;
        return b;
    }

    /**
     * {@code node.id}: this node's name in the stats it publishes ({@link Herald#STATS_CHANNEL}), so a
     * dashboard shows a row per node. Empty by default: {@link Herald#nodeId()} is then made up at
     * start ({@code herald-} and a random suffix), a new one per process.
     */
    public Optional<String> nodeId() {
        return nodeId;
    }

    /**
     * How long a completed channel still counts in {@code completed_channels} and
     * {@code average_elapsed_seconds} after its {@code cleanupDelay} removed it (to the minute).
     */
    public Duration statsWindow() {
        return statsWindow;
    }

    /** Options of namespaces that have no override. */
    public NamespaceOptions defaults() {
        return defaults;
    }

    /** Per-namespace overrides, by namespace name. */
    public Map<String, NamespaceOptions> namespaces() {
        return namespaces;
    }

    /** The options that apply to {@code channel}. */
    public NamespaceOptions optionsFor(String channel) {
        if (namespaces.isEmpty()) { // no name to cut out of the channel's, on every publish
            return defaults;
        }
        return namespaces.getOrDefault(ChannelNames.namespace(channel), defaults);
    }

    @Override
    public String toString() {
        return "HeraldConfig{defaults=" + defaults + ", namespaces=" + namespaces + ", statsWindow=" + statsWindow
                + ", nodeId=" + nodeId.orElse("-") + '}';
    }

    public static final class Builder {
        private NamespaceOptions defaults = NamespaceOptions.DEFAULTS;
        private Map<String, NamespaceOptions> namespaces = Map.of();
        private Duration statsWindow = DEFAULT_STATS_WINDOW;
        private Optional<String> nodeId = Optional.empty();

        private Builder() {
        }

        public Builder defaults(NamespaceOptions v) {
            defaults = v;
            return this;
        }

        public Builder namespaces(Map<String, NamespaceOptions> v) {
            namespaces = v;
            return this;
        }

        /** {@code stats.window}: at least one minute. */
        public Builder statsWindow(Duration v) {
            if (v == null || v.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("stats.window must be at least 1m, was " + v);
            }
            statsWindow = v;
            return this;
        }

        /** {@code node.id}: 1 to 64 of A-Z a-z 0-9 . _ - */
        public Builder nodeId(String v) {
            if (v == null || !NODE_ID.matcher(v).matches()) {
                throw new IllegalArgumentException("node.id must be 1 to 64 of A-Z a-z 0-9 . _ -, was '" + v + "'");
            }
            nodeId = Optional.of(v);
            return this;
        }

        public HeraldConfig build() {
            if (defaults == null || namespaces == null) {
                throw new IllegalArgumentException("defaults and namespaces must not be null");
            }
            return new HeraldConfig(this);
        }
    }
}
