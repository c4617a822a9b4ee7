package io.herald;

import java.util.Map;

/**
 * Adds a transport's figures (connections, traffic) to the snapshot Herald publishes on
 * {@link Herald#STATS_CHANNEL} once a second while someone on this node subscribes to it.
 *
 * <p>Called on Herald's stats thread, once per snapshot, never while nobody watches; it must not
 * block, and should not throw (a throw is logged and the snapshot goes without this source's part).
 * Keys are snake_case; values are what Jackson writes as JSON (numbers, strings, maps, lists), and
 * totals since start rather than rates, so a reader derives rates from two snapshots.
 */
@FunctionalInterface
public interface StatsSource {
    /** Puts this source's entries into {@code snapshot}, which already holds the core's. */
    void addTo(Map<String, Object> snapshot);
}
