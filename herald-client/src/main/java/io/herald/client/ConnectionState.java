package io.herald.client;

/**
 * Where a {@link HeraldClient}'s connection is.
 *
 * <pre>
 * DISCONNECTED ─connect()─▶ CONNECTING ─welcome─▶ CONNECTED ─dropped─▶ RECONNECTING ─welcome─▶ CONNECTED …
 *       ▲                        └─ dropped ─▶ RECONNECTING                                          │
 *       └──────────── close(), 1008, 4001 without a fresh token (from any state) ────────────────────┘
 * </pre>
 */
public enum ConnectionState {
    /** The first connection is being opened. */
    CONNECTING,
    /** The server said {@code welcome}: subscriptions and publishes flow. */
    CONNECTED,
    /** The connection dropped; the client waits out its backoff, then opens a new one. */
    RECONNECTING,
    /**
     * Not connected and not trying: before {@link HeraldClient#connect()}, after
     * {@link HeraldClient#close()}, or refused in a way that retrying cannot fix (1008, 4001 without
     * a fresh token) until {@code connect()} is called again.
     */
    DISCONNECTED
}
