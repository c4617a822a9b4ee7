package io.herald.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Transport} a test plays the server of: each {@link #open} is recorded as a
 * {@link Connection} the test accepts or refuses, sends frames on, closes, and reads the client's
 * commands from.
 */
final class ScriptedTransport implements Transport {
    final List<Connection> opened = new ArrayList<>();

    @Override
    public CompletableFuture<Link> open(URI uri, Map<String, String> headers, Duration timeout, Receiver receiver) {
        Connection c = new Connection(headers, receiver);
        opened.add(c);
        return c.future;
    }

    Connection last() {
        return opened.get(opened.size() - 1);
    }

    static final class Connection implements Link {
        final Map<String, String> headers;
        final Receiver receiver;
        final CompletableFuture<Link> future = new CompletableFuture<>();
        final List<String> sent = new ArrayList<>();
        int requested;
        boolean aborted;
        int closedWith = -1;

        Connection(Map<String, String> headers, Receiver receiver) {
            this.headers = headers;
            this.receiver = receiver;
        }

        /** The handshake succeeds. */
        Connection accept() {
            future.complete(this);
            return this;
        }

        /** The handshake fails. */
        void refuse(Throwable error) {
            future.completeExceptionally(error);
        }

        /** The server sends a text frame. */
        Connection frame(String json) {
            receiver.text(this, json);
            return this;
        }

        /** The server sends {@code welcome} with {@code timeoutMs}. */
        Connection welcome(long timeoutMs) {
            return frame("{\"type\":\"welcome\",\"connectionId\":\"c1\",\"heartbeatMs\":5000,\"timeoutMs\":" + timeoutMs
                    + ",\"server\":\"herald/test\"}");
        }

        /** The server closes with {@code code}. */
        void serverCloses(int code, String reason) {
            receiver.closed(this, code, reason);
        }

        /** The socket fails. */
        void cut() {
            receiver.failed(this, new java.io.IOException("connection reset"));
        }

        String lastSent() {
            return sent.get(sent.size() - 1);
        }

        @Override
        public void send(String text) {
            sent.add(text);
        }

        @Override
        public void requestNext() {
            requested++;
        }

        @Override
        public void close(int code, String reason) {
            closedWith = code;
        }

        @Override
        public void abort() {
            aborted = true;
        }
    }
}
