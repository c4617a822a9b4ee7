package io.herald;

/**
 * WebSocket close codes Herald sends (SPEC §5.1), documented once, here. Clients reconnect after
 * any code but {@link #POLICY_VIOLATION} and {@link #UNAUTHORIZED} (the latter only with a fresh
 * token).
 */
public final class CloseCodes {
    /** Normal closure: the client or an operator ended the connection. */
    public static final int NORMAL = 1000;
    /** The server is shutting down; reconnect after the {@code shutdown} frame's delay. */
    public static final int GOING_AWAY = 1001;
    /** A WebSocket protocol error (bad framing, reserved bits, unmasked client frame). */
    public static final int PROTOCOL_ERROR = 1002;
    /** A text frame that is not valid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** Policy: a forbidden origin or abuse (e.g. a sustained command flood). Do not reconnect. */
    public static final int POLICY_VIOLATION = 1008;
    /** An inbound message over the maximum message size. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** An unexpected server error on this connection. */
    public static final int INTERNAL_ERROR = 1011;
    /** The server is full (a connection limit was reached); try again later. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** Missing, invalid or expired token. Reconnect only with a fresh token. */
    public static final int UNAUTHORIZED = 4001;
    /** No frame from the client within the heartbeat timeout. */
    public static final int HEARTBEAT_TIMEOUT = 4002;
    /** The client could not keep up even with critical messages; recover from history. */
    public static final int SLOW_CONSUMER = 4003;

    private CloseCodes() {
    }
}
