package io.herald.client;

/**
 * The root of the client's exceptions, all unchecked: {@link ServerErrorException} when the server
 * refused a request, {@link ConnectionLostException} when no answer can come.
 */
public class HeraldClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected HeraldClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
