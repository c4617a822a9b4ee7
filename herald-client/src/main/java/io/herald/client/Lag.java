package io.herald.client;

/**
 * The server dropped {@code skipped} plain messages of {@code channel} because this client read too
 * slowly (SPEC §3 slow consumers). The client asks for them again at once (it resubscribes from its
 * last offset, and the server replays them from history); what cannot come back is reported as a
 * {@link NotRecovered}.
 */
public record Lag(String channel, long skipped) {
}
