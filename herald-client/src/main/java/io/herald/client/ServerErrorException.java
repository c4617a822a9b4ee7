package io.herald.client;

import java.util.Objects;

/**
 * The server answered a request with an {@code error} frame (SPEC §5.1): a publish it refused
 * ({@code forbidden}, {@code bad_request}, {@code too_large}, …) or a subscription it did not allow.
 */
public final class ServerErrorException extends HeraldClientException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String wireCode;

    private ServerErrorException(ErrorCode code, String wireCode, String message) {
        super(wireCode + ": " + message, null);
        this.code = code;
        this.wireCode = wireCode;
    }

    /** The error of a frame with {@code "code":wireCode} and {@code "message":message}. */
    public static ServerErrorException of(String wireCode, String message) {
        Objects.requireNonNull(wireCode, "wireCode");
        return new ServerErrorException(ErrorCode.fromWire(wireCode), wireCode, message);
    }

    /** The code, {@link ErrorCode#UNKNOWN} for one this client does not know. */
    public ErrorCode code() {
        return code;
    }

    /** The code as the server sent it. */
    public String wireCode() {
        return wireCode;
    }
}
