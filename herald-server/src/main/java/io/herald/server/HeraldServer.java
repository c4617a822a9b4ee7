package io.herald.server;

import io.herald.Herald;
import io.herald.Transport;
import io.herald.server.internal.ServerContext;
import io.herald.server.internal.ServerInitializer;
import io.herald.server.internal.Shutdown;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Herald's network transport: WebSocket ({@code /ws}, {@code /ws/{channel}}) and the HTTP API on
 * one port, on Netty with native epoll when available and NIO otherwise.
 *
 * <pre>{@code
 * HeraldServer server = HeraldServer.create(ServerConfig.newBuilder().port(0).build());
 * Herald herald = Herald.builder().transport(server).start();
 * int port = server.port();
 * herald.close(); // graceful: shutdown frames, close 1001, publishes under way answered, within the drain timeout
 * }</pre>
 *
 * <p>Thread-safe. Started and shut down by the {@link Herald} it is given to.
 */
public final class HeraldServer implements Transport {
    private static final Logger log = LoggerFactory.getLogger(HeraldServer.class);

    private final ServerConfig config;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean shutdown = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** Set by {@link #shutdown()}, finished by {@link #stop()}. */
    private volatile Shutdown shutdownSteps;
    private volatile ServerContext context;
    private volatile EventLoopGroup bossGroup;
    private volatile EventLoopGroup workerGroup;
    private volatile Channel serverChannel;
    private volatile ChannelGroup allChannels;

    private HeraldServer(ServerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** A server that binds when the {@link Herald} it is given to starts. */
    public static HeraldServer create(ServerConfig config) {
        return new HeraldServer(config);
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalStateException when the address cannot be bound, naming it
     */
    @Override
    public void start(Herald herald) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("HeraldServer already started");
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        int threads = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("herald-accept"), io);
        workerGroup = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("herald-io"), io);
        allChannels = new DefaultChannelGroup("herald-connections", GlobalEventExecutor.INSTANCE);
        context = new ServerContext(herald, config, prometheus(herald.meterRegistry()));
        herald.addStatsSource(context.statsSource());
        config.occupancyWebhook().ifPresent(url -> herald.addOccupancyListener(
                new io.herald.server.internal.OccupancyWebhook(url, herald.clock(), herald.meterRegistry())));
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // one allocator for every connection (each still gets its own sizing handle): 32 bytes less per connection
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator())
                // Past 64 KiB queued in Netty a connection counts as not writable: the core then
                // keeps its messages in a bounded, coalescing backlog instead (SPEC §3 slow consumers).
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new io.netty.channel.WriteBufferWaterMark(
                        ServerContext.WRITE_LOW_WATER_BYTES, ServerContext.WRITE_HIGH_WATER_BYTES))
                .childHandler(new ServerInitializer(context, allChannels));
        if (epoll) {
            // At most this much unsent data waits in the kernel per connection; the rest waits in
            // Netty and in the core's backlog, where it coalesces and is counted (SPEC §3), and where
            // the heartbeat sees a slow reader's progress. Without it a slow reader's kernel queue
            // grows to megabytes and a ping waits behind them for seconds.
            b.childOption(EpollChannelOption.TCP_NOTSENT_LOWAT, ServerContext.KERNEL_UNSENT_BYTES);
        }
        try {
            serverChannel = b.bind(config.host(), config.port()).syncUninterruptibly().channel();
        } catch (Exception e) {
            workerGroup.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            bossGroup.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        log.info("Herald listening on http://{}:{} ({}, {} I/O threads); WebSocket at ws://{}:{}/ws",
                config.host(), port(), epoll ? "epoll" : "nio", threads, config.host(), port());
        AuthConfig auth = config.auth();
        if (auth.jwtKey().isEmpty() && !auth.anonymous()) {
            log.warn("no JWT key is configured and anonymous access is off: every WebSocket client will be refused."
                    + " Set HERALD_AUTH_JWT_SECRET (e.g. $(openssl rand -hex 32)) and mint tokens with 'herald token';"
                    + " see docs/SECURITY.md");
        }
        if (auth.jwtKey().isEmpty() && auth.publishApiKeys().isEmpty() && auth.adminApiKeys().isEmpty()) {
            log.warn("no JWT key and no API key are configured: every publish and admin call will be refused");
        }
    }

    /**
     * The registry {@code /metrics} scrapes: Herald's own if it is a Prometheus registry, else a new
     * one added to Herald's composite registry (the default), else none (the embedding application
     * exports metrics its own way). JVM memory, thread and CPU meters are bound to it.
     */
    private static PrometheusMeterRegistry prometheus(MeterRegistry registry) {
        PrometheusMeterRegistry prometheus = null;
        if (registry instanceof PrometheusMeterRegistry p) {
            prometheus = p;
        } else if (registry instanceof CompositeMeterRegistry composite) {
            prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            composite.add(prometheus);
        }
        if (prometheus != null) {
            new JvmMemoryMetrics().bindTo(prometheus);
            new JvmThreadMetrics().bindTo(prometheus);
            new ProcessorMetrics().bindTo(prometheus);
        }
        return prometheus;
    }

    /** The bound port (useful with port 0); -1 before start. */
    public int port() {
        Channel ch = serverChannel;
        return ch == null ? -1 : ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** WebSocket connections open now. */
    public int connectionCount() {
        ServerContext c = context;
        return c == null ? 0 : c.connections().active();
    }

    /** Snapshots of the open WebSocket connections. */
    public java.util.List<ConnectionStats> connections() {
        ServerContext c = context;
        return c == null ? java.util.List.of() : c.connections().snapshot();
    }

    /** A snapshot of the open connection {@code id}, if there is one. */
    public java.util.Optional<ConnectionStats> connection(String id) {
        ServerContext c = context;
        return c == null ? java.util.Optional.empty() : c.connections().find(id);
    }

    /** Whether a shutdown has begun. */
    public boolean isDraining() {
        ServerContext c = context;
        return c != null && c.draining();
    }

    /**
     * Graceful shutdown (SPEC §11), first part: stop accepting, send every client {@code shutdown}
     * with a jittered {@code reconnectAfterMs}, close with 1001, wait for them to go within the
     * drain timeout. The event loops keep running so that publishes under way, which the engine
     * completes as it closes, are answered; {@link #stop()} ends them. Blocks until done. Idempotent.
     */
    @Override
    public void shutdown() {
        if (!started.get() || !shutdown.compareAndSet(false, true)) {
            return;
        }
        context.herald().removeStatsSource(context.statsSource());
        Shutdown s = new Shutdown(context, serverChannel, allChannels, bossGroup, workerGroup);
        shutdownSteps = s;
        s.drain();
    }

    /**
     * Graceful shutdown, last part, after the engine has closed: lets the answers to publishes under
     * way go out, cuts the connections left and stops the event loops. Blocks until done. Idempotent.
     */
    @Override
    public void stop() {
        Shutdown s = shutdownSteps;
        if (s == null || !stopped.compareAndSet(false, true)) {
            return;
        }
        s.stop();
    }
}
