package io.herald;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The root of Herald's unchecked exceptions. Each carries the protocol {@link ErrorCode} a client
 * is answered with, so one place maps failures to wire errors; subclasses add what their transport
 * needs (a WebSocket close code, a process exit code). Create them through the static factories so
 * messages stay consistent; the constructors are for subclasses.
 */
public class HeraldException extends RuntimeException {
    private final ErrorCode code;

    public HeraldException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public HeraldException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** For subclasses that are thrown often and carry no useful stack trace (protocol violations). */
    protected HeraldException(ErrorCode code, String message, boolean writableStackTrace) {
        super(message, null, false, writableStackTrace);
        this.code = code;
    }

    /** The error code a client receives for this failure. */
    public ErrorCode code() {
        return code;
    }

    /**
     * The failure of a future as a {@code HeraldException}: the cause of a
     * {@link CompletionException} or {@link ExecutionException} (however deeply wrapped) keeps its
     * own code; anything else is {@link ErrorCode#INTERNAL}. Use it in every future callback, so an
     * engine error reaches the client with its code.
     */
    public static HeraldException from(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof HeraldException he ? he : internal("internal error", t);
    }

    /** The same failure, its message prefixed with where it happened, e.g. {@code "[1]: …"}. */
    public HeraldException within(String where) {
        return new HeraldException(code, where + ": " + getMessage(), this);
    }

    public static HeraldException badRequest(String message) {
        return new HeraldException(ErrorCode.BAD_REQUEST, message);
    }

    public static HeraldException unauthorized(String message) {
        return new HeraldException(ErrorCode.UNAUTHORIZED, message);
    }

    public static HeraldException forbidden(String message) {
        return new HeraldException(ErrorCode.FORBIDDEN, message);
    }

    public static HeraldException notFound(String message) {
        return new HeraldException(ErrorCode.NOT_FOUND, message);
    }

    public static HeraldException tooLarge(String message) {
        return new HeraldException(ErrorCode.TOO_LARGE, message);
    }

    /** This client went past a limit of its own (rate, subscriptions, connections from its address). */
    public static HeraldException rateLimited(String message) {
        return new HeraldException(ErrorCode.RATE_LIMITED, message);
    }

    /** The server cannot serve anyone now (full, shutting down); try again later. */
    public static HeraldException unavailable(String message) {
        return new HeraldException(ErrorCode.UNAVAILABLE, message);
    }

    public static HeraldException internal(String message, Throwable cause) {
        return new HeraldException(ErrorCode.INTERNAL, message, cause);
    }

    /** A required field is absent or has the wrong JSON type. */
    public static HeraldException missingField(String field, String expected) {
        return badRequest("'" + field + "' is required and must be " + expected);
    }

    /** A publish would add a key past the retained channel's {@code retained.maxKeys}; it is not published. */
    public static HeraldException retainedKeysFull(String channel, int maxKeys) {
        return tooLarge("channel '" + channel + "' already retains " + maxKeys
                + " keys (retained.maxKeys); remove a key or publish to an existing one");
    }

    /** The engine is closed or unreachable: {@link ErrorCode#UNAVAILABLE}, a client may retry. */
    public static HeraldException engineUnavailable(String message) {
        return unavailable("engine unavailable: " + message);
    }
}
