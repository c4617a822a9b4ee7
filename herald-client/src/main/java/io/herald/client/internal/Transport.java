package io.herald.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Opens WebSocket connections for the client: {@link JdkWebSocketTransport} on the JDK's
 * {@code java.net.http.WebSocket}; tests script one.
 */
public interface Transport {

    /**
     * Opens a connection to {@code uri} with {@code headers}, within {@code timeout}. Its events go to
     * {@code receiver}, possibly before the future completes and on any thread; the future fails when
     * the connection cannot be opened.
     */
    CompletableFuture<Link> open(URI uri, Map<String, String> headers, Duration timeout, Receiver receiver);

    /** One open connection. Its methods are called from the client's thread only. */
    interface Link {
        /** Sends one text message, after those sent before. */
        void send(String text);

        /**
         * Lets the next text message be delivered: the receiver gets one at a time, and the next
         * only once the client asked, so a slow application slows the socket down instead of filling
         * memory (the server then sees a slow consumer).
         */
        void requestNext();

        /** Closes with {@code code} after what was sent; the socket goes even if the server does not answer. */
        void close(int code, String reason);

        /** Drops the connection at once, without a close handshake. */
        void abort();
    }

    /** Receives a connection's events. */
    interface Receiver {
        /** A whole text message; the next comes after {@link Link#requestNext()}. */
        void text(Link link, String text);

        /** The server closed the connection with {@code code}. */
        void closed(Link link, int code, String reason);

        /** The connection failed (reset, I/O error): it is gone. */
        void failed(Link link, Throwable error);
    }
}
