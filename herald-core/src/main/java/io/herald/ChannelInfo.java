package io.herald;

/**
 * A snapshot of one channel on this node (SPEC §7). Counts are messages: {@code delivered},
 * {@code coalesced} and {@code dropped} add up over subscribers, so for a steady set of
 * subscribers each message published after they joined is, for each of them, delivered,
 * coalesced (superseded by a newer value of its key) or dropped (a slow consumer's lag), unless
 * its event filter excluded it.
 *
 * @param elapsedSeconds from the channel's first message to its completion, or to now while active
 * @param history what its history holds on this node ({@link HistoryStats#NONE} when nothing, or
 *        when the engine does not tell)
 */
public record ChannelInfo(
        String channel,
        StreamPosition position,
        long published,
        long delivered,
        long coalesced,
        long dropped,
        int subscribers,
        double elapsedSeconds,
        boolean completed,
        HistoryStats history) {
}
