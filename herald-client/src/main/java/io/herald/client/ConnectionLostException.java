package io.herald.client;

/**
 * No answer can come to a request: the connection ended before the server answered (a publish may
 * or may not have been published; the client never sends it twice), the client was closed, or it
 * stopped reconnecting ({@link ConnectionState#DISCONNECTED}).
 */
public final class ConnectionLostException extends HeraldClientException {
    private static final long serialVersionUID = 1L;

    private ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A request was sent and the connection ended before its answer. */
    public static ConnectionLostException beforeAnswer(String what, ConnectionStatus why) {
        return new ConnectionLostException("the connection ended before the server answered " + what
                + " (" + why + "); it may or may not have taken effect", null);
    }

    /** The client is closed or stopped reconnecting: nothing more can be sent. */
    public static ConnectionLostException disconnected(ConnectionStatus why) {
        return new ConnectionLostException("the client is disconnected (" + why + ")", null);
    }

    /** The connection could not be opened or authenticated. */
    public static ConnectionLostException failed(String message, Throwable cause) {
        return new ConnectionLostException(message, cause);
    }
}
