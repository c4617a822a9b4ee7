package io.herald;

/**
 * History over every channel an engine holds on this node ({@link Engine#historyTotals}), for
 * {@code /metrics}: the channels whose history holds at least one message, the messages held and
 * the size of their {@code data} (JSON text, UTF-8 bytes), and the messages evicted so far because
 * history was full ({@code history.size}) or they were older than {@code history.ttl}. Removing a
 * channel is not an eviction: its history goes with it.
 */
public record HistoryTotals(long channels, long messages, long dataBytes, long evictedBySize, long evictedByTtl) {
    /** An engine that does not tell. */
    public static final HistoryTotals NONE = new HistoryTotals(0, 0, 0, 0, 0);
}
