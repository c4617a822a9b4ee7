package io.herald;

/**
 * The root of Herald's unchecked exceptions. Each carries the protocol {@link ErrorCode} a client
 * is answered with, so one place maps failures to wire errors. Create them through the static
 * factories so messages stay consistent.
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

    /** The error code a client receives for this failure. */
    public ErrorCode code() {
        return code;
    }

    public static HeraldException badRequest(String message) {
        return new HeraldException(ErrorCode.BAD_REQUEST, message);
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

    /** The engine is closed or unreachable. */
    public static HeraldException engineUnavailable(String message) {
        return new HeraldException(ErrorCode.INTERNAL, "engine unavailable: " + message);
    }
}
