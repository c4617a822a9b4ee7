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
    /** The running server's version, from the jar's manifest ({@code dev} when run from classes). */
    static final String VERSION = version();
    static final String SERVER_NAME = "herald/" + VERSION;
    private static final Logger log = LoggerFactory.getLogger("io.herald.server.BadInput");
    private static final long BAD_INPUT_LOG_INTERVAL_NANOS = 1_000_000_000L;
    /** Past this many bytes queued in Netty a connection is not writable, and the core keeps its messages instead. */
    public static final int WRITE_HIGH_WATER_BYTES = 64 * 1024;
    /** Below this many bytes queued a connection is writable again. */
    public static final int WRITE_LOW_WATER_BYTES = 32 * 1024;
    /** Unsent bytes the kernel may hold per connection (TCP_NOTSENT_LOWAT, with epoll). */
    public static final long KERNEL_UNSENT_BYTES = 128 * 1024;

    private final Herald herald;
    private final ServerConfig config;
    private final ConnectionRegistry connections = new ConnectionRegistry();
    private final OpenSockets sockets = new OpenSockets();
    private final PendingAnswers pendingAnswers = new PendingAnswers();
    private final ServerMetrics metrics;
    private final Authenticator auth;
    private final AtomicLong badInputs = new AtomicLong();
    private final LogThrottle logThrottle;
    private volatile boolean draining;

    private final PrometheusMeterRegistry prometheus;

    public ServerContext(Herald herald, ServerConfig config, PrometheusMeterRegistry prometheus) {
        this.herald = herald;
        this.config = config;
        this.prometheus = prometheus;
        this.metrics = new ServerMetrics(herald.meterRegistry(), connections, sockets);
        this.auth = new Authenticator(config.auth(), herald.clock());
        this.logThrottle = new LogThrottle(herald.clock(), BAD_INPUT_LOG_INTERVAL_NANOS);
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

    /** This server's part of the live stats ({@code $herald:stats}): connections and traffic. */
    public io.herald.StatsSource statsSource() {
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

    /** Every open TCP connection, HTTP and WebSocket: what the connection limits count. */
    OpenSockets sockets() {
        return sockets;
    }

    /** HTTP requests whose answer waits for the engine (publishes): a shutdown lets them be answered. */
    PendingAnswers pendingAnswers() {
        return pendingAnswers;
    }

    /** The remote IP address of {@code channel} ({@code ?} when it has none). */
    static String remoteIp(io.netty.channel.Channel channel) {
        return channel.remoteAddress() instanceof java.net.InetSocketAddress a ? a.getAddress().getHostAddress() : "?";
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

    /** Counts a rejected input and logs it, at most once a second per error code (see below). */
    void badInput(String source, HeraldException e) {
        badInput(source, e.code().wire(), e);
    }

    /**
     * Counts a rejected input and logs it at info, without a stack trace, at most once a second per
     * {@code kind}, so a flood of one kind can neither flood the log nor hide the other kinds. The
     * line says how many of its kind were held back, and whose doing it was: "bad input" for the
     * client's, "refused a request" when the server could not take it (a 5xx: closing, unavailable).
     *
     * @param kind an error code or a fixed reason (e.g. {@code request_timeout}); never client data
     */
    void badInput(String source, String kind, HeraldException e) {
        long n = badInputs.incrementAndGet();
        metrics.error(e.code());
        long held = logThrottle.admit(kind);
        if (held == LogThrottle.HELD) {
            return;
        }
        if (e.code().httpStatus() >= 500) {
            // the server could not take it (closing, an engine or a disk unavailable): not the client's doing
            log.info("refused a request from {}: {} ({}) [{} of this kind not logged, {} rejected since start]", source,
                    e.getMessage(), e.code().wire(), held, n);
        } else {
            log.info("bad input from {}: {} ({}) [{} of this kind not logged, {} rejected since start]", source,
                    e.getMessage(), e.code().wire(), held, n);
        }
    }

    /**
     * Logs a failure Herald did not expect, with its stack trace, at most once a second (a client
     * that found a way to trigger one could otherwise fill the disk); counts every one as
     * {@code internal}. The caller still answers its client.
     */
    void unexpected(Logger caller, String what, Throwable e) {
        metrics.error(io.herald.ErrorCode.INTERNAL);
        long held = logThrottle.admit("unexpected");
        if (held != LogThrottle.HELD) {
            caller.warn("{} failed [{} other unexpected failures not logged]", what, held, e);
        }
    }

    private static String version() {
        String v = ServerContext.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
