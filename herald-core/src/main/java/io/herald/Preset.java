package io.herald;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Named groups of settings (SPEC §4). A preset sets the namespace options below and, through the
 * server configuration, its transport settings (heartbeat, connection and message limits,
 * compression); explicit settings given after the preset win.
 */
public enum Preset {
    /** The defaults. */
    STANDARD("standard"),
    /** Large jobs: 5 deliveries per key per second, 200 ms batches of up to 100. */
    LARGE("large"),
    /** Snappy UIs: 20 per key per second, 50 ms batches of up to 25. */
    REALTIME("realtime"),
    /** Flaky links: heartbeat every 10 s, timeout after 60 s (server settings only). */
    UNSTABLE_NETWORK("unstable-network"),
    /** Small deployments: at most 100 connections, 64 KiB messages, no compression (server settings only). */
    LIGHTWEIGHT("lightweight"),
    /**
     * Shaping off, for comparison and benchmarks: every message is its own frame at once, keyed
     * messages are neither throttled nor coalesced. Not in SPEC §4; added to measure the pipeline.
     */
    PASSTHROUGH("passthrough");

    private final String wire;

    Preset(String wire) {
        this.wire = wire;
    }

    /** The name used in config files and on the command line, e.g. {@code unstable-network}. */
    public String wire() {
        return wire;
    }

    /**
     * The preset named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static Preset of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Preset p : values()) {
            if (p.wire.equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + name + "'; known presets: "
                + Arrays.stream(values()).map(Preset::wire).collect(Collectors.joining(", ")));
    }

    void applyTo(NamespaceOptions.Builder b) {
        switch (this) {
            case LARGE -> b.throttleRate(5).batchInterval(Duration.ofMillis(200)).batchMaxSize(100);
            case REALTIME -> b.throttleRate(20).batchInterval(Duration.ofMillis(50)).batchMaxSize(25);
            case PASSTHROUGH -> b.throttleRate(0).batchMaxSize(1);
            default -> {
                // standard, unstable-network and lightweight keep the default delivery options
            }
        }
    }
}
