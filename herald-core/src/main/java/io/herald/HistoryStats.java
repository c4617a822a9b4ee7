package io.herald;

/**
 * What a channel's history holds on this node ({@link Engine#historyStats}): how many messages,
 * the offsets of the oldest and the newest (0 and 0 when it holds none), and the size of their
 * {@code data}, as JSON text in UTF-8 bytes. The epoch is the channel's ({@link ChannelInfo#position}).
 */
public record HistoryStats(long messages, long firstOffset, long lastOffset, long dataBytes) {
    /** No history held, or an engine that does not tell. */
    public static final HistoryStats NONE = new HistoryStats(0, 0, 0, 0);
}
