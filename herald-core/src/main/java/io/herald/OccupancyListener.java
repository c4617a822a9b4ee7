package io.herald;

/**
 * Told when a channel gains its first subscriber on this node or loses its last (SPEC §7), so a
 * publisher can skip work nobody watches without polling. Herald also publishes each change to
 * {@link Herald#OCCUPANCY_CHANNEL}. Herald's system channels ({@code $…}) are not reported.
 *
 * <p>Calls come one at a time, in the order the changes happened, on one Herald thread; a
 * listener must not block for long (it holds up the next change) and should not throw (a throw is
 * logged and the next change still comes).
 */
@FunctionalInterface
public interface OccupancyListener {
    /** {@code channel} now has subscribers on this node ({@code occupied}), or none ({@code !occupied}). */
    void changed(String channel, boolean occupied);
}
