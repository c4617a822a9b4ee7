package io.herald.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The subscriber connections of one load generator process: opens them at a fixed rate, each
 * bound to the next source address in turn (127.0.0.2, .3, …) so that many connections to one
 * server port do not share one source address's ephemeral ports, and counts how they fare.
 * Connection state is on the event loops; the counters are atomic. Thread-safe.
 */
final class SubscriberPool implements AutoCloseable {
    /** Largest frame accepted: a Herald batch of 50 small messages is a few KiB. */
    private static final int MAX_FRAME_BYTES = 1024 * 1024;

    private final EventLoopGroup group;
    private final StepRecorder recorder;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger attempted = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger subscribed = new AtomicInteger();
    private final AtomicInteger closedAfterOpen = new AtomicInteger();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> serverCloses = new ConcurrentHashMap<>();
    /** Per channel number: connections open now (opened, not closed since); set by {@link #open}. */
    private volatile AtomicIntegerArray openPerChannel = new AtomicIntegerArray(1);
    /** Connection attempts not settled yet; bounds the SYNs and handshakes in flight. */
    private final Semaphore inFlight;

    SubscriberPool(int threads, int maxInFlight, StepRecorder recorder) {
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("loadgen"),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.recorder = recorder;
        this.inFlight = new Semaphore(maxInFlight);
    }

    /**
     * Opens {@code count} connections, {@code perSecond} a second, and returns once each has
     * opened or failed, or {@code settleSeconds} after the last attempt. Connection {@code i} has
     * the global index {@code firstIndex + i}, and connects to {@code urlTemplate} with
     * {@value ChannelLayout#PLACEHOLDER} replaced by its channel's number in {@code layout}.
     */
    void open(String urlTemplate, ChannelLayout layout, long firstIndex, int count, double perSecond, List<InetAddress> sources,
              int settleSeconds) throws InterruptedException {
        layout.check(urlTemplate, "the URL");
        openPerChannel = new AtomicIntegerArray(layout.channels());
        Bootstrap base = new Bootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        Bootstrap[] perChannel = new Bootstrap[layout.channels()]; // built on first use: the handshake URI differs
        URI first = URI.create(ChannelLayout.fill(urlTemplate, 0));
        InetSocketAddress remote = new InetSocketAddress(first.getHost(), first.getPort());
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / perSecond);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!inFlight.tryAcquire(30, TimeUnit.SECONDS)) {
                failed("no slot for a new attempt within 30 s");
                continue;
            }
            attempted.incrementAndGet();
            int k = layout.channelOf(firstIndex + i);
            if (perChannel[k] == null) {
                perChannel[k] = base.clone().handler(initializer(URI.create(ChannelLayout.fill(urlTemplate, k)), k));
            }
            Bootstrap b = perChannel[k];
            ChannelFuture f = sources.isEmpty() ? b.connect(remote)
                    : b.connect(remote, new InetSocketAddress(sources.get(i % sources.size()), 0));
            channels.add(f.channel());
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    SubscriberHandler h = f.channel().pipeline().get(SubscriberHandler.class);
                    if (h != null) {
                        h.settle("connect: " + done.cause());
                    } else {
                        failed("connect: " + done.cause());
                    }
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settleSeconds);
        while (open.get() + failed.get() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private ChannelInitializer<Channel> initializer(URI uri, int channelNumber) {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                .handshakeTimeoutMillis(15_000)
                // no UTF-8 validation of every frame: at 1M deliveries/s it cost the load generator
                // more than the scanning, and a server's bad UTF-8 is not what this measures
                .withUTF8Validator(false)
                .build();
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                SubscriberHandler handler = new SubscriberHandler(SubscriberPool.this, recorder, channelNumber);
                ChannelPipeline p = ch.pipeline();
                p.addLast(new HttpClientCodec(), new HttpObjectAggregator(16 * 1024),
                        new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(MAX_FRAME_BYTES), handler);
            }
        };
    }

    void opened(int channelNumber) {
        open.incrementAndGet();
        openPerChannel.incrementAndGet(channelNumber);
        inFlight.release();
    }

    void failed(String reason) {
        failed.incrementAndGet();
        inFlight.release();
        String key = reason.length() > 120 ? reason.substring(0, 120) : reason;
        if (failures.size() < 20 || failures.containsKey(key)) {
            failures.computeIfAbsent(key, k -> new LongAdder()).increment();
        }
    }

    void subscribed() {
        subscribed.incrementAndGet();
    }

    void closedAfterOpen(int channelNumber) {
        closedAfterOpen.incrementAndGet();
        openPerChannel.decrementAndGet(channelNumber);
    }

    void serverClosed(int code) {
        serverCloses.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    int attempted() {
        return attempted.get();
    }

    int open() {
        return open.get();
    }

    int failed() {
        return failed.get();
    }

    int subscribedCount() {
        return subscribed.get();
    }

    int closedAfterOpenCount() {
        return closedAfterOpen.get();
    }

    /** Connections open now, per channel number. */
    long[] openPerChannel() {
        AtomicIntegerArray a = openPerChannel;
        long[] out = new long[a.length()];
        for (int k = 0; k < out.length; k++) {
            out[k] = a.get(k);
        }
        return out;
    }

    Map<String, LongAdder> failures() {
        return failures;
    }

    Map<Integer, LongAdder> serverCloses() {
        return serverCloses;
    }

    /** Sends every open connection a normal close (1000), waits up to 10 s for them to end, then cuts the rest. */
    @Override
    public void close() {
        channels.writeAndFlush(new CloseWebSocketFrame(1000, "done"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (channels.stream().anyMatch(Channel::isActive) && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        channels.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
