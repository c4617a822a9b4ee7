package io.herald.client;

/**
 * A subscription resumed from {@code lastSeen} but the server could not give what followed it
 * ({@code recovered: false}, SPEC §6): the history no longer holds it, or the channel's epoch
 * changed (a server restart without durable history, a deleted channel). Messages published between
 * {@code lastSeen} and {@code resumedAt} may never arrive; the stream goes on after
 * {@code resumedAt}, and a channel with retained state delivers it next.
 */
public record NotRecovered(String channel, Position lastSeen, Position resumedAt) {
}
