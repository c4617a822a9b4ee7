package io.herald.examples.metrics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.HeraldClock;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.herald.StreamPosition;
import io.herald.examples.support.DevTokens;
import io.herald.examples.support.ExampleStack;
import io.herald.examples.support.ExampleSite.Reply;
import io.herald.workloads.DashboardWorkload;
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
 * The metrics dashboard example: Herald embedded, a publisher that sends a metrics snapshot every
 * interval only while someone watches, and the page with live charts, the connection's status and
 * Herald's health, served by the example's own site. Started by {@code examples/metrics-dashboard/run};
 * see the README beside it.
 *
 * <p>The site answers: where Herald is and where the page starts reading ({@code GET /api/config}),
 * a connection token ({@code GET /api/token}), and what the publisher did ({@code GET /api/publisher}).
 */
@Command(name = "metrics-dashboard", mixinStandardHelpOptions = true, sortOptions = false,
        version = "Herald example: metrics dashboard",
        description = "Publishes metrics snapshots through an embedded Herald while someone watches, and serves the dashboard page.")
public final class MetricsDashboardExample implements Callable<Integer>, AutoCloseable {
    /** The dashboard's channel. */
    static final String CHANNEL = "metrics:overview";
    /** Snapshots a page opened late reads from the channel's history before the live ones: its charts start filled. */
    static final int BACKFILL = 30;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address of the page and of Herald (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8093", description = "The page's port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--herald-port", defaultValue = "8092", description = "Herald's port (default: ${DEFAULT-VALUE}).")
    int heraldPort;

    @Option(names = "--interval", defaultValue = "10", description = "Seconds between snapshots (default: ${DEFAULT-VALUE}).")
    double intervalSeconds;

    @Option(names = "--seed", description = "The snapshots' seed (default: the workload's).")
    long seed = DashboardWorkload.DEFAULT_SEED;

    private ExampleStack stack;
    private SnapshotPublisher publisher;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MetricsDashboardExample()).execute(args));
    }

    /** Starts with the options as given on a command line, e.g. {@code "--interval", "0.5"} (tests). */
    static MetricsDashboardExample start(String... args) {
        return CommandLine.populateCommand(new MetricsDashboardExample(), args).start();
    }

    @Override
    public Integer call() throws InterruptedException {
        start();
        System.out.printf("%nMetrics dashboard: open %s/ in a browser (Herald on %s; a snapshot every %s s while someone watches)."
                + " Ctrl-C stops.%n%n", stack.pageUrl(), stack.heraldUrl(), intervalSeconds);
        stack.awaitClose("metrics-dashboard-shutdown");
        return 0;
    }

    MetricsDashboardExample start() {
        if (!(intervalSeconds > 0)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--interval must be > 0, was " + intervalSeconds);
        }
        Duration interval = Duration.ofMillis(Math.round(intervalSeconds * 1000));
        HeraldClock clock = HeraldClock.SYSTEM;
        // history long enough for the backfill at any interval, so a page opened late starts with filled charts
        HeraldConfig config = HeraldConfig.newBuilder()
                .namespaces(Map.of("metrics", NamespaceOptions.newBuilder()
                        .historySize(100).historyTtl(interval.multipliedBy(BACKFILL + 10).plusMinutes(1)).build()))
                .build();
        stack = ExampleStack.start(host, port, heraldPort, "io/herald/examples/metrics/site", config, false);
        ScheduledExecutorService timer = stack.timer("metrics-publisher");
        publisher = new SnapshotPublisher(stack.herald(), CHANNEL, interval, new DashboardWorkload(seed), clock, timer);
        stack.herald().addOccupancyListener(publisher);
        timer.scheduleAtFixedRate(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        DevTokens tokens = stack.tokens();
        stack.site().route("GET", "/api/config", r -> Reply.json(config()))
                .route("GET", "/api/token", r -> Reply.text(tokens.mint("viewer", List.of("metrics:*"), Duration.ofMinutes(15))))
                .route("GET", "/api/publisher", r -> Reply.json(publisher.status()));
        return this;
    }

    private void tick() {
        try {
            publisher.tick();
        } catch (RuntimeException e) {
            // a timer task that throws is never run again: log and go on
            if (!stack.herald().isClosed()) {
                org.slf4j.LoggerFactory.getLogger(MetricsDashboardExample.class).warn("snapshot tick failed", e);
            }
        }
    }

    /**
     * Where Herald is, and where the page starts reading the channel: {@value #BACKFILL} snapshots back
     * from the latest, which Herald replays from history before the live ones (none if nothing was published yet).
     */
    private ObjectNode config() {
        ObjectNode c = JsonNodeFactory.instance.objectNode()
                .put("herald", stack.heraldUrl())
                .put("channel", CHANNEL)
                .put("intervalMs", Math.round(intervalSeconds * 1000));
        StreamPosition p = stack.herald().position(CHANNEL);
        if (p.offset() > 0) {
            c.putObject("since").put("epoch", p.epoch()).put("offset", Math.max(0, p.offset() - BACKFILL));
        }
        return c;
    }

    String pageUrl() {
        return stack.pageUrl();
    }

    String heraldUrl() {
        return stack.heraldUrl();
    }

    SnapshotPublisher publisher() {
        return publisher;
    }

    /** Stops publishing, then Herald (gracefully), then the site. */
    @Override
    public void close() {
        if (stack != null) {
            stack.close();
        }
    }
}
