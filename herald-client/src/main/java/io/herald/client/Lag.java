package io.herald.client;

/**
 * The server dropped {@code skipped} plain messages of {@code channel} because this client read too
 * slowly (SPEC §3 slow consumers). The client recovers them from the channel's history at once
 * (it resubscribes from its last offset); if the history no longer holds them, a
 * {@link NotRecovered} follows.
 */
public record Lag(String channel, long skipped) {
}
