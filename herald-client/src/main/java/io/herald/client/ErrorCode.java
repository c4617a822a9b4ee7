package io.herald.client;

/**
 * The error codes a Herald server answers with (SPEC §5.1), mirrored from the server's one list
 * ({@code io.herald.ErrorCode}; a test in herald-server fails if the two drift apart), plus
 * {@link #UNKNOWN} for a code this client does not know.
 */
public enum ErrorCode {
    BAD_REQUEST("bad_request"),
    UNAUTHORIZED("unauthorized"),
    FORBIDDEN("forbidden"),
    NOT_FOUND("not_found"),
    /** An HTTP request with a method its path does not take. */
    METHOD_NOT_ALLOWED("method_not_allowed"),
    TOO_LARGE("too_large"),
    /** A limit on what this client may do: its command rate, its subscriptions, its connections. */
    RATE_LIMITED("rate_limited"),
    /** The server cannot serve anyone right now (full, shutting down, its engine down): try again later. */
    UNAVAILABLE("unavailable"),
    INTERNAL("internal"),
    /** Not a server code: one this client version does not know (a newer server); see {@link ServerErrorException#wireCode()}. */
    UNKNOWN("unknown");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The code as it appears in {@code error} frames, e.g. {@code bad_request}. */
    public String wire() {
        return wire;
    }

    /** Whether the same request may succeed later: {@link #UNAVAILABLE}, {@link #INTERNAL} and {@link #UNKNOWN}. */
    public boolean retryable() {
        return this == UNAVAILABLE || this == INTERNAL || this == UNKNOWN;
    }

    /** The code of {@code wire}, or {@link #UNKNOWN}. */
    public static ErrorCode fromWire(String wire) {
        for (ErrorCode c : values()) {
            if (c != UNKNOWN && c.wire.equals(wire)) {
                return c;
            }
        }
        return UNKNOWN;
    }
}
