package io.herald.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Concurrent HTTP publishers against a running Herald (issue 12: publishes/s with the disk history
 * store against memory on the realistic path): {@code connections} keep-alive connections, each a
 * publisher that sends {@code POST /api/publish} and waits for the answer before the next (as a
 * backend thread that awaits each publish does), over {@code channels} channels, ~100-byte data.
 * One thread drives every connection (NIO), each request written in one segment. After
 * {@code warmup} seconds it counts answers for {@code seconds}: publishes/s answered 200, errors,
 * publish→answer latency, and, given the server's pid, the server's CPU time per publish (from
 * {@code /proc}, Linux). Fails on any answer but 200.
 *
 * <pre>
 * java -cp bench/target/herald-bench.jar io.herald.bench.HttpPublishLoad host:port connections [seconds 10] [warmup 3] [channels 100] [serverPid]
 * </pre>
 *
 * The API key comes from {@code HERALD_BENCH_API_KEY}; {@code bench/history-http.sh} starts the
 * servers and runs this for each engine and connection count.
 */
public final class HttpPublishLoad {
    private HttpPublishLoad() {
    }

    public static void main(String[] args) throws Exception {
        String hostPort = args[0];
        int connections = Integer.parseInt(args[1]);
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int channels = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        long serverPid = args.length > 5 ? Long.parseLong(args[5]) : -1;
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        String apiKey = System.getenv("HERALD_BENCH_API_KEY");

        List<byte[]> requests = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            byte[] body = ("{\"channel\":\"bench:ch-" + c + "\",\"event\":\"progress\",\"data\":{\"progress\":42,"
                    + "\"stage\":\"scanning\",\"detail\":\"" + "x".repeat(48) + "\"}}").getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST /api/publish HTTP/1.1\r\nHost: " + hostPort + "\r\nContent-Type: application/json\r\n"
                    + (apiKey == null ? "" : "X-Api-Key: " + apiKey + "\r\n") + "Content-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[head.length + body.length];
            System.arraycopy(head, 0, request, 0, head.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            requests.add(request);
        }

        Selector selector = Selector.open();
        List<Publisher> publishers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(new InetSocketAddress(host, port));
            ch.configureBlocking(false);
            Publisher p = new Publisher(ch, i);
            ch.register(selector, SelectionKey.OP_READ, p);
            publishers.add(p);
        }
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        long now = System.nanoTime();
        for (Publisher p : publishers) {
            p.send(requests, now);
        }
        long measureFrom = now + TimeUnit.SECONDS.toNanos(warmup);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        long counted = 0;
        long cpuBefore = -1;
        boolean measuring = false;
        while ((now = System.nanoTime()) < end) {
            if (!measuring && now >= measureFrom) {
                measuring = true;
                cpuBefore = serverPid > 0 ? cpuMillis(serverPid) : -1;
            }
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                Publisher p = (Publisher) key.attachment();
                if (p.read()) {
                    long t = System.nanoTime();
                    if (measuring) {
                        counted++;
                        latency.recordValue(Math.min(latency.getHighestTrackableValue(), (t - p.sentAt) / 1000));
                    }
                    p.send(requests, t);
                }
            }
            selector.selectedKeys().clear();
        }
        double cpu = serverPid > 0 && cpuBefore >= 0 ? cpuMillis(serverPid) - cpuBefore : -1;
        for (Publisher p : publishers) {
            p.channel.close();
        }
        System.out.printf("%d connections: %,.0f publishes/s answered 200; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%s%n",
                connections, counted / (double) seconds, latency.getValueAtPercentile(50) / 1e3,
                latency.getValueAtPercentile(99) / 1e3, latency.getMaxValue() / 1e3,
                cpu < 0 ? "" : String.format("; server CPU %.1f µs per publish", cpu * 1e3 / counted));
    }

    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime + stime, at 100 ticks per second
    }

    /** One keep-alive connection with one request outstanding at a time. */
    private static final class Publisher {
        final SocketChannel channel;
        private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        private int next;
        long sentAt;

        Publisher(SocketChannel channel, int first) {
            this.channel = channel;
            this.next = first;
        }

        void send(List<byte[]> requests, long now) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(requests.get(next++ % requests.size()));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            sentAt = now;
        }

        /** Reads what arrived; true once the whole answer is in. */
        boolean read() throws IOException {
            if (channel.read(in) < 0) {
                throw new IOException("the server closed a connection");
            }
            String head = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
            int headEnd = head.indexOf("\r\n\r\n");
            if (headEnd < 0) {
                return false;
            }
            if (!head.startsWith("HTTP/1.1 200")) {
                throw new IOException("publish answered " + head.substring(0, head.indexOf('\r')) + ": " + head);
            }
            int length = 0;
            for (String line : head.substring(0, headEnd).split("\r\n")) {
                if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            int total = headEnd + 4 + length;
            if (in.position() < total) {
                return false;
            }
            in.flip();
            in.position(total);
            in.compact();
            return true;
        }
    }
}
