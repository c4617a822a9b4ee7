package io.herald.bench.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The overload scenario (issue 10; {@code bench/overload.sh} runs it): {@code --subscribers}
 * WebSocket clients on one channel, {@code --slow-fraction} of them reading slowly
 * ({@link OverloadClient}), and a publisher of plain messages faster than the server can fan out
 * ({@link OverloadPublisher}). It samples the server's memory throughout ({@link MemorySampler}),
 * waits up to {@code --drain-seconds} after the last publish for the clients still open to get the
 * last message, and checks every client's offsets against the lag frames it got
 * ({@link OffsetLedger}). It writes the figures as JSON ({@code --out}) and Markdown
 * ({@code --report}, {@link OverloadMarkdown}), prints the Markdown, and exits 0 when the pass
 * criteria hold, 1 when one does not, 2 when the run could not be made.
 *
 * <pre>
 * --url ws://127.0.0.1:8080/ws/overload  --publish-url http://127.0.0.1:8080/api/publish  --metrics-url http://127.0.0.1:8080/metrics
 * --channel overload  --subscribers 2000  --slow-fraction 0.25  --slow-read-ms 100  --slow-read-bytes 8192  --slow-socket-buffer 65536
 * --rate 2000  --per-request 10  --data-bytes 200  --seconds 60  --drain-seconds 30  --connect-rate 1000
 * --sources 127.0.0.2-127.0.0.11  --threads 1  --server-pid PID  --outbound-buffer-bytes 1048576  --memory-bound-mib (derived)
 * --out overload.json  --report overload.md  --machine machine.txt  --command "bench/run.sh overload …"
 * </pre>
 */
public final class OverloadBench {
    /** What Netty queues for a connection before it reports it unwritable (its default high-water mark). */
    static final long NETTY_HIGH_WATER_BYTES = 64 * 1024;
    /** Herald's own counts of what the clients report, scraped from {@code /metrics} when the drain ends. */
    static final List<String> SERVER_COUNTERS = List.of("herald_connections_closed_total", "herald_heartbeat_timeouts_total",
            "herald_messages_dropped_total", "herald_lag_events_total", "herald_errors_total");

    private OverloadBench() {
    }

    public static void main(String[] args) throws Exception {
        int status;
        try {
            status = run(new Options(Arrays.asList(args)));
        } catch (IllegalArgumentException e) {
            System.err.println("overload: " + e.getMessage());
            status = 2;
        }
        System.exit(status); // event loop threads of a failed close must not keep the JVM alive
    }

    static int run(Options o) throws Exception {
        URI url = URI.create(o.required("url"));
        URI publishUrl = URI.create(o.required("publish-url"));
        String metrics = o.string("metrics-url", "");
        String channel = o.string("channel", "overload");
        int subscribers = o.integer("subscribers", 2000);
        double slowFraction = o.decimal("slow-fraction", 0.25);
        if (slowFraction < 0 || slowFraction > 1) {
            throw new IllegalArgumentException("--slow-fraction is between 0 and 1, not " + slowFraction);
        }
        int slow = (int) Math.round(subscribers * slowFraction);
        long slowReadMillis = o.longValue("slow-read-ms", 100);
        int slowReadBytes = o.integer("slow-read-bytes", 8 * 1024);
        int slowSocketBuffer = o.integer("slow-socket-buffer", 64 * 1024);
        double rate = o.decimal("rate", 2000);
        int perRequest = o.integer("per-request", 10);
        int dataBytes = o.integer("data-bytes", 200);
        double seconds = o.decimal("seconds", 60);
        double drainSeconds = o.decimal("drain-seconds", 30);
        long serverPid = o.longValue("server-pid", -1);
        long outboundBuffer = o.longValue("outbound-buffer-bytes", 1024 * 1024);
        long boundMib = o.longValue("memory-bound-mib", -1);
        long boundBytes = boundMib >= 0 ? boundMib * 1024 * 1024 : subscribers * (outboundBuffer + NETTY_HIGH_WATER_BYTES);
        if (subscribers > 19_000) {
            throw new IllegalArgumentException(subscribers + " subscribers need more than the 20,000 files a process may hold");
        }

        OverloadMarkdown.Setup setup = new OverloadMarkdown.Setup(o.string("command", ""), url.toString(), subscribers,
                slow, slowReadMillis, slowReadBytes, slowSocketBuffer, rate, perRequest, dataBytes, seconds, drainSeconds,
                outboundBuffer, boundBytes, o.string("server-args", ""), machine(o.string("machine", "")));
        System.err.printf("overload: opening %d subscribers (%d slow) to %s%n", subscribers, slow, url);
        try (OverloadPool pool = new OverloadPool(o.integer("threads", 1))) {
            pool.open(url, subscribers, slow, o.decimal("connect-rate", 1000),
                    SubscribeCommand.sources(o.string("sources", "127.0.0.2-127.0.0.11")), slowReadMillis, slowReadBytes,
                    slowSocketBuffer);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (pool.subscribedCount() < pool.openCount() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            System.err.printf("overload: %d open, %d subscribed, %d failed %s%n", pool.openCount(), pool.subscribedCount(),
                    pool.failedCount(), pool.failures().isEmpty() ? "" : pool.failures());
            if (pool.subscribedCount() == 0) {
                System.err.println("overload: no subscriber; is the server up?");
                return 2;
            }
            OverloadPublisher.Outcome published;
            double drained;
            List<MemorySampler.Sample> memory;
            int behind;
            long[] cpu = new long[2]; // CPU ms of the server and of this process over publishing and drain
            long[] phases = new long[3]; // publishing began, all published, drain ended: ms on the sampler's clock
            try (MemorySampler sampler = new MemorySampler(serverPid, metrics.isEmpty() ? null : URI.create(metrics), 500)) {
                TimeUnit.SECONDS.sleep(1); // a baseline sample or two before the load
                System.err.printf("overload: publishing %.0f msg/s for %.0f s%n", rate, seconds);
                phases[0] = sampler.millisSinceStart();
                cpu[0] = ProcStat.cpuMillis(serverPid);
                cpu[1] = ProcStat.selfCpuMillis();
                try (PublishClient client = new PublishClient(publishUrl)) {
                    published = new OverloadPublisher(client, publishUrl, channel, dataBytes, 2000)
                            .run(rate, seconds, perRequest);
                }
                phases[1] = sampler.millisSinceStart();
                System.err.printf("overload: published %d of %d (last offset %d); draining up to %.0f s%n", published.ok(),
                        published.sent(), published.lastOffset(), drainSeconds);
                long drainStart = System.nanoTime();
                long drainEnd = drainStart + (long) (drainSeconds * 1e9);
                behind = pool.behind(published.lastOffset());
                while (behind > 0 && System.nanoTime() < drainEnd) {
                    TimeUnit.MILLISECONDS.sleep(500);
                    behind = pool.behind(published.lastOffset());
                }
                drained = (System.nanoTime() - drainStart) / 1e9;
                phases[2] = sampler.millisSinceStart();
                cpu[0] = serverPid > 0 && cpu[0] >= 0 ? ProcStat.cpuMillis(serverPid) - cpu[0] : -1;
                cpu[1] = cpu[1] >= 0 ? ProcStat.selfCpuMillis() - cpu[1] : -1;
                memory = sampler.samples();
            }
            Map<String, Double> serverCounters = metrics.isEmpty() ? Map.of()
                    : MemorySampler.scrape(URI.create(metrics), SERVER_COUNTERS);
            List<OverloadClient.Result> results = pool.results();
            pool.closeAll(10);
            OverloadMarkdown.Run run = new OverloadMarkdown.Run(setup, pool.openCount(), pool.failedCount(), published,
                    drained, behind, phases[0], phases[1], phases[2], cpu[0], cpu[1], memory, serverCounters, results);
            String md = OverloadMarkdown.render(run);
            String report = o.string("report", "");
            if (!report.isEmpty()) {
                Files.writeString(Path.of(report), md);
            }
            String out = o.string("out", "");
            if (!out.isEmpty()) {
                ProcessFiles.write(Path.of(out), json(run));
            }
            System.out.println(md);
            return OverloadMarkdown.passed(run) ? 0 : 1;
        }
    }

    private static List<String> machine(String file) throws java.io.IOException {
        return file.isEmpty() || !Files.exists(Path.of(file)) ? List.of() : Files.readAllLines(Path.of(file));
    }

    private static ObjectNode json(OverloadMarkdown.Run run) {
        ObjectNode o = ProcessFiles.JSON.valueToTree(run.setup());
        o.set("published", ProcessFiles.JSON.valueToTree(run.published()));
        o.put("publishStartMillis", run.publishStartMillis()).put("publishEndMillis", run.publishEndMillis())
                .put("drainEndMillis", run.drainEndMillis()).put("serverCpuMillis", run.serverCpuMillis())
                .put("loadgenCpuMillis", run.loadgenCpuMillis());
        o.put("open", run.open()).put("failed", run.failed()).put("drainSeconds", run.drainedSeconds())
                .put("behindAtEnd", run.behindAtEnd()).put("passed", OverloadMarkdown.passed(run));
        o.set("fast", ProcessFiles.JSON.valueToTree(run.tally(OverloadClient.Kind.FAST)));
        o.set("slow", ProcessFiles.JSON.valueToTree(run.tally(OverloadClient.Kind.SLOW)));
        o.set("memory", ProcessFiles.JSON.valueToTree(run.memory()));
        o.set("serverCounters", ProcessFiles.JSON.valueToTree(run.serverCounters()));
        ArrayNode clients = o.putArray("clients");
        run.results().forEach(r -> clients.add(ProcessFiles.JSON.valueToTree(r)));
        return o;
    }
}
