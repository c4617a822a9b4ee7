package io.herald.client;

/**
 * Messages of {@code channel} after {@code lastSeen} up to {@code resumedAt} could not be recovered
 * and may never arrive; the stream goes on after {@code resumedAt}. Either a resume was answered
 * {@code recovered: false} (SPEC §6: the history no longer holds what followed {@code lastSeen}, or
 * the channel's epoch changed: a server restart without durable history, a deleted channel; a
 * channel with retained state then delivers it next), or, after a {@link Lag}, the server's
 * catch-up was itself larger than its outbound buffer.
 */
public record NotRecovered(String channel, Position lastSeen, Position resumedAt) {
}
