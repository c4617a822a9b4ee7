package io.herald.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * One publisher on one HTTP/1.1 keep-alive connection, publishing back to back (each request
 * waits for its answer), and one WebSocket subscriber: messages per second through, all received,
 * and the publish→receive latency (which includes the batch interval unless shaping is off).
 *
 * <p>The publisher writes each request in one segment on a plain socket with TCP_NODELAY: the
 * JDK's HttpClient sends headers and body separately and measures its own Nagle/delayed-ACK
 * stall (about 2 ms per request here) rather than the server.
 *
 * <pre>
 * export HERALD_BENCH_API_KEY=$(openssl rand -hex 16)
 * HERALD_AUTH_ANONYMOUS=true HERALD_AUTH_API_KEYS_PUBLISH=$HERALD_BENCH_API_KEY java -jar herald-server/target/herald.jar serve &amp;
 * java -cp bench/target/herald-bench.jar io.herald.bench.HttpPublishThroughput [host:port] [seconds]
 * </pre>
 */
public final class HttpPublishThroughput {
    private static final Pattern SENT = Pattern.compile("\"sent\":(\\d+)");

    public static void main(String[] args) throws Exception {
        String hostPort = args.length > 0 ? args[0] : "127.0.0.1:8080";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        String channel = "bench:http-" + System.nanoTime();
        String apiKey = System.getenv("HERALD_BENCH_API_KEY");

        AtomicLong received = new AtomicLong();
        AtomicLong frames = new AtomicLong();
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://" + hostPort + "/ws/" + channel), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            onFrame(partial.toString());
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    private void onFrame(String frame) {
                        if (frame.startsWith("{\"type\":\"subscribed\"")) {
                            subscribed.complete(null);
                            return;
                        }
                        if (!frame.startsWith("{\"type\":\"message\"") && !frame.startsWith("{\"type\":\"batch\"")) {
                            return;
                        }
                        frames.incrementAndGet();
                        long now = System.nanoTime();
                        Matcher m = SENT.matcher(frame);
                        while (m.find()) {
                            synchronized (latency) {
                                latency.recordValue(Math.max(0, (now - Long.parseLong(m.group(1))) / 1000));
                            }
                            received.incrementAndGet();
                        }
                    }
                }).get(10, TimeUnit.SECONDS);
        subscribed.get(10, TimeUnit.SECONDS);

        long published = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port));
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            while (System.nanoTime() < end) {
                byte[] body = ("{\"channel\":\"" + channel + "\",\"event\":\"tick\",\"data\":{\"n\":" + published
                        + ",\"sent\":" + System.nanoTime() + "}}").getBytes(StandardCharsets.UTF_8);
                byte[] head = ("POST /api/publish HTTP/1.1\r\nHost: " + hostPort + "\r\nContent-Type: application/json\r\n"
                        + (apiKey == null ? "" : "X-Api-Key: " + apiKey + "\r\n")
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] request = new byte[head.length + body.length];
                System.arraycopy(head, 0, request, 0, head.length);
                System.arraycopy(body, 0, request, head.length, body.length);
                out.write(request);
                out.flush();
                readResponse(in);
                published++;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < published && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        socket.sendClose(1000, "done").get(5, TimeUnit.SECONDS);
        System.out.printf("published %d in %.1f s: %.0f msg/s over one keep-alive connection%n", published, elapsed,
                published / elapsed);
        System.out.printf("received  %d in %d frames (%s)%n", received.get(), frames.get(),
                received.get() == published ? "all" : "MISSING " + (published - received.get()));
        System.out.printf("latency publish->receive (µs): p50 %d  p90 %d  p99 %d  max %d%n", latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(90), latency.getValueAtPercentile(99), latency.getMaxValue());
        System.exit(received.get() == published ? 0 : 1);
    }

    /** Reads one HTTP response with a Content-Length body; fails on anything but 200. */
    private static void readResponse(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int contentLength = -1;
        boolean first = true;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
                continue;
            }
            String l = line.toString();
            line.setLength(0);
            if (first) {
                if (!l.startsWith("HTTP/1.1 200")) {
                    throw new IOException("publish answered " + l);
                }
                first = false;
            } else if (l.isEmpty()) {
                break;
            } else if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
                contentLength = Integer.parseInt(l.substring(15).trim());
            }
        }
        in.skipNBytes(contentLength);
    }
}
