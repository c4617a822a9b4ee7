package io.herald.server.internal;

import io.herald.Herald;
import io.herald.HeraldClock;
import io.herald.HeraldException;
import io.herald.server.ServerConfig;
import io.herald.server.internal.auth.Authenticator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every handler of one server shares. Thread-safe. */
public final class ServerContext {
    static final String SERVER_NAME = "herald/" + version();
    private static final Logger log = LoggerFactory.getLogger("io.herald.server.BadInput");
    private static final long BAD_INPUT_LOG_INTERVAL_NANOS = 1_000_000_000L;
    /** Past this many bytes queued in Netty a connection is not writable, and the core keeps its messages instead. */
    public static final int WRITE_HIGH_WATER_BYTES = 64 * 1024;
    /** Below this many bytes queued a connection is writable again. */
    public static final int WRITE_LOW_WATER_BYTES = 32 * 1024;
    /** Unsent bytes the kernel may hold per connection (TCP_NOTSENT_LOWAT, with epoll). */
    public static final long KERNEL_UNSENT_BYTES = 16 * 1024;

    private final Herald herald;
    private final ServerConfig config;
    private final ConnectionRegistry connections = new ConnectionRegistry();
    private final ServerMetrics metrics;
    private final Authenticator auth;
    private final AtomicLong badInputs = new AtomicLong();
    private final AtomicLong lastBadInputLog = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean draining;

    private final PrometheusMeterRegistry prometheus;

    public ServerContext(Herald herald, ServerConfig config, PrometheusMeterRegistry prometheus) {
        this.herald = herald;
        this.config = config;
        this.prometheus = prometheus;
        this.metrics = new ServerMetrics(herald.meterRegistry(), connections);
        this.auth = new Authenticator(config.auth(), herald.clock());
    }

    /** The Prometheus text of every meter, if this server exports to Prometheus. */
    Optional<String> scrape() {
        return prometheus == null ? Optional.empty() : Optional.of(prometheus.scrape());
    }

    /**
     * How many bytes may wait in one connection's outbound buffer before answers to the client's
     * own frames (pongs, replies, errors) close it with 1008: Netty's high water mark plus the
     * default namespace's outbound buffer, the bound every other kind of frame already has.
     */
    long outboundBoundBytes() {
        return WRITE_HIGH_WATER_BYTES + herald.config().defaults().outboundBufferBytes();
    }

    public Authenticator auth() {
        return auth;
    }

    ServerMetrics metrics() {
        return metrics;
    }

    public Herald herald() {
        return herald;
    }

    public ServerConfig config() {
        return config;
    }

    public HeraldClock clock() {
        return herald.clock();
    }

    public ConnectionRegistry connections() {
        return connections;
    }

    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }

    /** Inputs rejected since start (malformed frames, invalid requests). */
    public long badInputs() {
        return badInputs.get();
    }

    /** Counts a rejected input and logs it, at most once a second so a flood cannot flood the log. */
    void badInput(String source, HeraldException e) {
        long n = badInputs.incrementAndGet();
        metrics.error(e.code());
        long now = clock().nanoTime();
        long last = lastBadInputLog.get();
        if ((last == Long.MIN_VALUE || now - last >= BAD_INPUT_LOG_INTERVAL_NANOS) && lastBadInputLog.compareAndSet(last, now)) {
            log.info("bad input from {}: {} ({}) [{} rejected since start]", source, e.getMessage(), e.code().wire(), n);
        }
    }

    private static String version() {
        String v = ServerContext.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
