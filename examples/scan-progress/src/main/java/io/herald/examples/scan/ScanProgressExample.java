package io.herald.examples.scan;

import io.herald.Herald;
import io.herald.HeraldClock;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.herald.Preset;
import io.herald.examples.support.DevTokens;
import io.herald.examples.support.ExampleStack;
import io.herald.examples.support.ExampleSite.Reply;
import io.herald.workloads.ScanWorkload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The scan progress example: Herald embedded, a publisher that replays network scans (the
 * {@code scan} workload) through it, and the page that shows them, served by the example's own
 * site. Started by {@code examples/scan-progress/run}; see the README beside it.
 *
 * <p>The site answers the page's few questions: where Herald is ({@code GET /api/config}), a
 * connection token ({@code GET /api/token}, signed with a secret made at start), every scan
 * ({@code GET /api/scans}), one scan's results so far with their position
 * ({@code GET /api/scans/{id}}), and a new scan ({@code POST /api/scans}).
 */
@Command(name = "scan-progress", mixinStandardHelpOptions = true, sortOptions = false, version = "Herald example: scan progress",
        description = "Replays network scans through an embedded Herald and serves the page that shows them.")
public final class ScanProgressExample implements Callable<Integer>, AutoCloseable {
    /** Held in each scan's history: a page reloaded mid-scan catches up from its snapshot's position. */
    static final int HISTORY_SIZE = 10_000;
    /**
     * Per page and scan: a whole scan's stream (about 3 MB one message per frame) fits, so a page that
     * falls behind (pass-through on a slow machine) is rarely told {@code lag}; if it is, it catches
     * up from history, a buffer's worth at a time.
     */
    static final long OUTBOUND_BUFFER_BYTES = 16 * 1024 * 1024;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address of the page and of Herald (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8091", description = "The page's port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--herald-port", defaultValue = "8090", description = "Herald's port (default: ${DEFAULT-VALUE}).")
    int heraldPort;

    @Option(names = "--scans", defaultValue = "3", description = "Scans to start, the first at once (default: ${DEFAULT-VALUE}).")
    int scans;

    @Option(names = "--every", defaultValue = "20", description = "Seconds between two scans' starts (default: ${DEFAULT-VALUE}).")
    double everySeconds;

    @Option(names = "--speed", defaultValue = "1", description = "How much faster than real time a scan (60 s) runs (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--preset", defaultValue = "standard",
            description = "Herald's delivery preset: standard, large, realtime or passthrough (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--seed", description = "The first scan's seed; the next ones count up from it (default: the benchmark's).")
    long seed = ScanWorkload.DEFAULT_SEED;

    private ExampleStack stack;
    private Scans scanList;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScanProgressExample()).execute(args));
    }

    /** Starts with the options as given on a command line, e.g. {@code "--port", "0"} (tests). */
    static ScanProgressExample start(String... args) {
        return CommandLine.populateCommand(new ScanProgressExample(), args).start();
    }

    @Override
    public Integer call() throws InterruptedException {
        start();
        System.out.printf("%nScan progress: open %s/ in a browser (Herald on %s, preset %s). Ctrl-C stops.%n%n",
                stack.pageUrl(), stack.heraldUrl(), preset);
        stack.awaitClose("scan-progress-shutdown");
        return 0;
    }

    ScanProgressExample start() {
        HeraldClock clock = HeraldClock.SYSTEM;
        Preset delivery = Preset.of(preset);
        HeraldConfig config = HeraldConfig.newBuilder()
                .defaults(NamespaceOptions.newBuilder().preset(delivery).build())
                .namespaces(Map.of(
                        "scan", NamespaceOptions.newBuilder().preset(delivery)
                                .historySize(HISTORY_SIZE).historyTtl(Duration.ofMinutes(10))
                                .outboundBufferBytes(OUTBOUND_BUFFER_BYTES).build(),
                        "scans", NamespaceOptions.newBuilder().preset(delivery).retained(true).build()))
                .build();
        stack = ExampleStack.start(host, port, heraldPort, "io/herald/examples/scan/site", config, false);
        ScheduledExecutorService timer = stack.timer("scan-publisher");
        scanList = new Scans(stack.herald(), timer, clock, speed, seed);
        timer.scheduleAtFixedRate(scanList::publishOverview, 0, 1, TimeUnit.SECONDS);
        for (int i = 0; i < scans; i++) {
            timer.schedule(scanList::start, Math.round(i * everySeconds * 1000), TimeUnit.MILLISECONDS);
        }
        DevTokens tokens = stack.tokens();
        stack.site().route("GET", "/api/config", r -> Reply.json(Map.of("herald", stack.heraldUrl(), "preset", delivery.wire())))
                .route("GET", "/api/token", r -> Reply.text(tokens.mint("viewer", List.of("scan:*", "scans:*"), Duration.ofMinutes(15))))
                .route("GET", "/api/scans", r -> Reply.json(scanList.overview()))
                .route("POST", "/api/scans", r -> Reply.json(scanList.start().summary()))
                .route("GET", "/api/scans/", r -> scanList.get(scanId(r.rest("/api/scans/")))
                        .map(sc -> Reply.json(sc.snapshot()))
                        .orElseGet(() -> Reply.error(404, "not_found", "no scan " + r.rest("/api/scans/"))));
        return this;
    }

    private static int scanId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a scan id is a number, was '" + text + "'");
        }
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8091}. */
    String pageUrl() {
        return stack.pageUrl();
    }

    /** Herald's address. */
    String heraldUrl() {
        return stack.heraldUrl();
    }

    Scans scans() {
        return scanList;
    }

    Herald herald() {
        return stack.herald();
    }

    /** Stops publishing, then Herald (gracefully: pages are told to come back later), then the site. */
    @Override
    public void close() {
        if (stack != null) {
            stack.close();
        }
    }
}
