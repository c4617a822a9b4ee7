package io.herald.client;

/**
 * The WebSocket close codes of Herald (SPEC §5.1), mirrored from the server's one list
 * ({@code io.herald.CloseCodes}; a test in herald-server fails if the two drift apart), plus
 * {@link #ABNORMAL}, which no server sends. The client reconnects after every code but
 * {@link #POLICY_VIOLATION}, and after {@link #UNAUTHORIZED} only with a fresh token
 * ({@link #reconnects}).
 */
public final class CloseCodes {
    /** Normal closure: the client or an operator ended the connection. */
    public static final int NORMAL = 1000;
    /** The server is shutting down; the client reconnects after the {@code shutdown} frame's delay. */
    public static final int GOING_AWAY = 1001;
    /** A WebSocket protocol error. */
    public static final int PROTOCOL_ERROR = 1002;
    /** A text frame that is not valid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** Policy: a forbidden origin or abuse. The client does not reconnect. */
    public static final int POLICY_VIOLATION = 1008;
    /** A message over the server's maximum message size. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** An unexpected server error on this connection. */
    public static final int INTERNAL_ERROR = 1011;
    /** The server is full (a connection limit was reached); try again later. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** Missing, invalid or expired token. The client reconnects only with a fresh token from its supplier. */
    public static final int UNAUTHORIZED = 4001;
    /** The server heard nothing from this client within its heartbeat timeout. */
    public static final int HEARTBEAT_TIMEOUT = 4002;
    /** This client could not keep up even with critical messages; it recovers from history. */
    public static final int SLOW_CONSUMER = 4003;
    /**
     * Never sent by a server (RFC 6455 §7.4.1): the connection ended without a close frame (it was
     * cut, it could not be opened, or the server went silent past its {@code timeoutMs}).
     */
    public static final int ABNORMAL = 1006;

    private CloseCodes() {
    }

    /**
     * Whether a client may reconnect after {@code code}: always but after
     * {@link #POLICY_VIOLATION}, and after {@link #UNAUTHORIZED} only with a new token.
     */
    public static boolean reconnects(int code, boolean freshToken) {
        return code != POLICY_VIOLATION && (code != UNAUTHORIZED || freshToken);
    }
}
