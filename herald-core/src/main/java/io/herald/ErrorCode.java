package io.herald;

/**
 * The error codes of the protocol (SPEC §5.1) and the HTTP API (SPEC §5.3), each with the HTTP
 * status the API answers it with: the one table of codes and statuses. The wire form is
 * {@link #wire()}; the JavaScript client mirrors this list, and the README's error table documents
 * it.
 */
public enum ErrorCode {
    BAD_REQUEST("bad_request", 400),
    UNAUTHORIZED("unauthorized", 401),
    FORBIDDEN("forbidden", 403),
    NOT_FOUND("not_found", 404),
    /**
     * Not in SPEC §5.1's list: an HTTP request with a method its path does not take (the answer's
     * {@code Allow} header names those it does). Apart from {@link #NOT_FOUND} (no such path) and
     * from {@link #BAD_REQUEST} (a request the path takes, but malformed).
     */
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    TOO_LARGE("too_large", 413),
    /** A limit on what this client may do: its command rate, subscriptions, connections from its address. */
    RATE_LIMITED("rate_limited", 429),
    /**
     * Not in SPEC §5.1's list: the server cannot serve anyone right now (it is full, shutting down,
     * or its engine is closed or down) and the client should try again later. Apart from
     * {@link #RATE_LIMITED}, which says this client asked too much, and from {@link #INTERNAL}, which
     * says something broke: a retrying client or load balancer needs to tell them apart.
     */
    UNAVAILABLE("unavailable", 503),
    INTERNAL("internal", 500);

    private final String wire;
    private final int httpStatus;

    ErrorCode(String wire, int httpStatus) {
        this.wire = wire;
        this.httpStatus = httpStatus;
    }

    /** The code as it appears in {@code error} frames and HTTP error bodies, e.g. {@code bad_request}. */
    public String wire() {
        return wire;
    }

    /** The HTTP status the API answers this code with. */
    public int httpStatus() {
        return httpStatus;
    }
}
