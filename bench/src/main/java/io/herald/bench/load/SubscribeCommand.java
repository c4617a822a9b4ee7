package io.herald.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code loadgen subscribe}: one subscriber process. Opens its connections, writes its ready
 * file, rewrites its snapshot every 250 ms until the driver's stop file appears (or
 * {@code --max-seconds}), then writes its final file and closes everything.
 *
 * <p>With {@code --channels C}, connection {@code i} of this process has the global index
 * {@code --first-index + i} and subscribes to channel number {@code (first-index + i) mod C}: the
 * URL's {@code {c}} is replaced by that number ({@link ChannelLayout}). The files report the
 * connections open per channel number, so the driver knows each channel's subscribers.
 *
 * <pre>
 * --url ws://127.0.0.1:8080/ws/fanout (or ws://127.0.0.1:8080/ws/ch-{c})  --channels 1  --first-index 0
 * --connections 10000  --connect-rate 1000  --id 0
 * --dir WORKDIR  --sources 127.0.0.2-127.0.0.11 (or none)  --threads N  --max-seconds 3600
 * </pre>
 */
final class SubscribeCommand {
    private SubscribeCommand() {
    }

    static void run(Options o) throws Exception {
        ChannelLayout layout = new ChannelLayout(o.integer("channels", 1));
        String url = layout.check(o.required("url"), "--url");
        long firstIndex = o.longValue("first-index", 0);
        int connections = o.integer("connections", 1000);
        double rate = o.decimal("connect-rate", 1000);
        int id = o.integer("id", 0);
        Path dir = Path.of(o.required("dir"));
        List<InetAddress> sources = sources(o.string("sources", "127.0.0.2-127.0.0.11"));
        int threads = o.integer("threads", Runtime.getRuntime().availableProcessors());
        long maxSeconds = o.longValue("max-seconds", 3600);
        Files.createDirectories(dir);

        StepRecorder recorder = new StepRecorder();
        long start = System.nanoTime();
        try (SubscriberPool pool = new SubscriberPool(threads, o.integer("in-flight", 1000), recorder)) {
            pool.open(url, layout, firstIndex, connections, rate, sources, 20);
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            ProcessFiles.write(ProcessFiles.ready(dir, id), state(pool, recorder, id, connections, connectSeconds, false));
            System.err.printf("loadgen %d: %d open, %d failed of %d in %.1f s%n", id, pool.open(), pool.failed(), connections, connectSeconds);
            long deadline = start + TimeUnit.SECONDS.toNanos(maxSeconds);
            while (!Files.exists(ProcessFiles.stop(dir)) && System.nanoTime() < deadline) {
                ProcessFiles.write(ProcessFiles.snapshot(dir, id), state(pool, recorder, id, connections, connectSeconds, false));
                TimeUnit.MILLISECONDS.sleep(250);
            }
            ProcessFiles.write(ProcessFiles.fin(dir, id), state(pool, recorder, id, connections, connectSeconds, true));
        }
    }

    private static ObjectNode state(SubscriberPool pool, StepRecorder recorder, int id, int requested,
                                    double connectSeconds, boolean fin) {
        ObjectNode o = ProcessFiles.JSON.createObjectNode();
        o.put("id", id).put("pid", ProcessHandle.current().pid()).put("final", fin)
                .put("requested", requested).put("attempted", pool.attempted()).put("open", pool.open())
                .put("failed", pool.failed()).put("subscribed", pool.subscribedCount())
                .put("closedAfterOpen", pool.closedAfterOpenCount()).put("connectSeconds", connectSeconds)
                .put("clockOffsetMicros", ProcessFiles.clockOffsetMicros())
                .put("cpuMillis", ProcStat.selfCpuMillis());
        ArrayNode perChannel = o.putArray("openPerChannel"); // open now, by channel number
        for (long n : pool.openPerChannel()) {
            perChannel.add(n);
        }
        ObjectNode failures = o.putObject("failures");
        pool.failures().forEach((k, v) -> failures.put(k, v.sum()));
        ObjectNode closes = o.putObject("serverCloses");
        pool.serverCloses().forEach((k, v) -> closes.put(Integer.toString(k), v.sum()));
        ArrayNode steps = o.putArray("steps");
        recorder.snapshot().forEach(t -> steps.add(t.toJson()));
        return o;
    }

    /** {@code none}, one address, a comma-separated list, or a range {@code 127.0.0.2-127.0.0.11} of the last octet. */
    static List<InetAddress> sources(String spec) throws UnknownHostException {
        List<InetAddress> out = new ArrayList<>();
        if (spec.isBlank() || spec.equals("none")) {
            return out;
        }
        for (String part : spec.split(",")) {
            int dash = part.indexOf('-');
            if (dash < 0) {
                out.add(InetAddress.getByName(part.trim()));
                continue;
            }
            byte[] from = InetAddress.getByName(part.substring(0, dash).trim()).getAddress();
            byte[] to = InetAddress.getByName(part.substring(dash + 1).trim()).getAddress();
            for (int last = from[3] & 0xff; last <= (to[3] & 0xff); last++) {
                byte[] a = from.clone();
                a[3] = (byte) last;
                out.add(InetAddress.getByAddress(a));
            }
        }
        return out;
    }
}
