package io.herald.client;

/**
 * Where a {@link HeraldClient}'s connection is.
 *
 * <pre>
 * CONNECTING ──welcome──▶ CONNECTED ──dropped──▶ RECONNECTING ──welcome──▶ CONNECTED …
 *      └────────┴───────────────┴─ close(), 1008, 4001 without a fresh token ──▶ DISCONNECTED
 * </pre>
 */
public enum ConnectionState {
    /** The first connection is being opened. */
    CONNECTING,
    /** The server said {@code welcome}: subscriptions and publishes flow. */
    CONNECTED,
    /** The connection dropped; the client waits out its backoff, then opens a new one. */
    RECONNECTING,
    /** For good: closed by the application, or refused in a way that retrying cannot fix (1008, 4001). */
    DISCONNECTED
}
