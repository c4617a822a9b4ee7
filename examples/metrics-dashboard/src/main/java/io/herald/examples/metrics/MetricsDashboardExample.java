package io.herald.examples.metrics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.Herald;
import io.herald.HeraldClock;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.herald.StreamPosition;
import io.herald.examples.support.DevTokens;
import io.herald.examples.support.ExampleSite;
import io.herald.examples.support.ExampleSite.Reply;
import io.herald.server.AuthConfig;
import io.herald.server.HeraldServer;
import io.herald.server.ServerConfig;
import io.herald.workloads.DashboardWorkload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
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

    private final CountDownLatch closed = new CountDownLatch(1);
    private ExampleSite site;
    private HeraldServer server;
    private Herald herald;
    private ScheduledExecutorService timer;
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
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "metrics-dashboard-shutdown"));
        System.out.printf("%nMetrics dashboard: open %s/ in a browser (Herald on %s; a snapshot every %s s while someone watches)."
                + " Ctrl-C stops.%n%n", site.uri(), heraldUrl(), intervalSeconds);
        closed.await();
        return 0;
    }

    MetricsDashboardExample start() {
        if (!(intervalSeconds > 0)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--interval must be > 0, was " + intervalSeconds);
        }
        Duration interval = Duration.ofMillis(Math.round(intervalSeconds * 1000));
        HeraldClock clock = HeraldClock.SYSTEM;
        DevTokens tokens = DevTokens.random(clock);
        site = ExampleSite.start(host, port, "io/herald/examples/metrics/site");
        // history long enough for the backfill at any interval, so a page opened late starts with filled charts
        HeraldConfig config = HeraldConfig.newBuilder()
                .namespaces(Map.of("metrics", NamespaceOptions.newBuilder()
                        .historySize(100).historyTtl(interval.multipliedBy(BACKFILL + 10).plusMinutes(1)).build()))
                .build();
        server = HeraldServer.create(ServerConfig.newBuilder().host(host).port(heraldPort)
                .auth(AuthConfig.newBuilder().jwtSecret(tokens.secret()).allowedOrigins(site.origins()).build())
                .build());
        herald = Herald.builder().config(config).clock(clock).transport(server).start();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metrics-publisher");
            t.setDaemon(true);
            return t;
        });
        publisher = new SnapshotPublisher(herald, CHANNEL, interval, new DashboardWorkload(seed), clock, timer);
        herald.addOccupancyListener(publisher);
        timer.scheduleAtFixedRate(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        site.route("GET", "/api/config", r -> Reply.json(config()))
                .route("GET", "/api/token", r -> Reply.text(tokens.mint("viewer", List.of("metrics:*"), Duration.ofMinutes(15))))
                .route("GET", "/api/publisher", r -> Reply.json(publisher.status()));
        return this;
    }

    private void tick() {
        try {
            publisher.tick();
        } catch (RuntimeException e) {
            // a timer task that throws is never run again: log and go on
            if (!herald.isClosed()) {
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
                .put("herald", heraldUrl())
                .put("channel", CHANNEL)
                .put("intervalMs", Math.round(intervalSeconds * 1000));
        StreamPosition p = herald.position(CHANNEL);
        if (p.offset() > 0) {
            c.putObject("since").put("epoch", p.epoch()).put("offset", Math.max(0, p.offset() - BACKFILL));
        }
        return c;
    }

    String pageUrl() {
        return site.uri().toString();
    }

    String heraldUrl() {
        return "http://" + host + ":" + server.port();
    }

    SnapshotPublisher publisher() {
        return publisher;
    }

    /** Stops publishing, then Herald (gracefully), then the site. */
    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (herald != null) {
            herald.close();
        }
        if (site != null) {
            site.close();
        }
        closed.countDown();
    }
}
