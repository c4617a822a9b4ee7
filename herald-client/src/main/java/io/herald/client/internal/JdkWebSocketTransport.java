package io.herald.client.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Transport} on the JDK's {@code java.net.http.WebSocket}: one {@link HttpClient} (and
 * its selector thread) serves every connection it opens, so many clients can share one.
 */
public final class JdkWebSocketTransport implements Transport {
    /** How long a close waits for the server's close frame before the socket is dropped. */
    static final long CLOSE_GRACE_MILLIS = 5_000;

    private final HttpClient http;

    public JdkWebSocketTransport(HttpClient http) {
        this.http = http;
    }

    @Override
    public CompletableFuture<Link> open(URI uri, Map<String, String> headers, Duration timeout, Receiver receiver) {
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(b::header);
        Events events = new Events(receiver);
        return b.buildAsync(uri, events).thenApply(events::link);
    }

    /**
     * The JDK's listener: it gathers a message's parts, hands whole messages to the receiver, and
     * asks for the next part itself only within a message (the next message waits for
     * {@link Link#requestNext()}). The JDK calls it one event at a time.
     */
    private static final class Events implements WebSocket.Listener {
        private final Receiver receiver;
        private final StringBuilder text = new StringBuilder();
        private JdkLink link;

        Events(Receiver receiver) {
            this.receiver = receiver;
        }

        /** The link of {@code ws}, made once whichever of onOpen and the future comes first. */
        synchronized JdkLink link(WebSocket ws) {
            if (link == null) {
                link = new JdkLink(ws);
            }
            return link;
        }

        @Override
        public void onOpen(WebSocket ws) {
            link(ws);
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (!last) {
                ws.request(1);
                return null;
            }
            String whole = text.toString();
            text.setLength(0);
            receiver.text(link(ws), whole);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            receiver.closed(link(ws), statusCode, reason);
            return null; // the JDK answers with the same code
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            receiver.failed(link(ws), error);
        }
    }

    private static final class JdkLink implements Link {
        private final WebSocket ws;
        /** The sends in order: the JDK allows one text send outstanding at a time. Touched on the client's thread only. */
        private CompletableFuture<WebSocket> sends;

        JdkLink(WebSocket ws) {
            this.ws = ws;
            this.sends = CompletableFuture.completedFuture(ws);
        }

        @Override
        public void send(String text) {
            sends = sends.thenCompose(w -> w.sendText(text, true));
        }

        @Override
        public void requestNext() {
            ws.request(1);
        }

        @Override
        public void close(int code, String reason) {
            sends = sends.thenCompose(w -> w.sendClose(code, reason));
            CompletableFuture.delayedExecutor(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS).execute(ws::abort);
        }

        @Override
        public void abort() {
            ws.abort();
        }
    }
}
