package io.herald.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The subscribers of the overload benchmark, all to one URL, fast and slow ones interleaved
 * ({@link #kindOf}), each bound to the next source address in turn as {@link SubscriberPool}'s
 * are. A slow one has auto-read off, a fixed receive buffer of {@code slowReadBytes} (one read
 * takes at most that) and a socket receive buffer of {@code slowSocketBufferBytes}, so the server
 * sees it fall behind within a second instead of after the kernel's megabytes of loopback buffer.
 * Thread-safe: counters are atomic, each client's state is on its event loop.
 */
final class OverloadPool implements AutoCloseable {
    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private final EventLoopGroup group;
    private final long startNanos = System.nanoTime();
    private final List<Channel> channels = new ArrayList<>();
    private final List<OverloadClient> clients = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger subscribed = new AtomicInteger();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    OverloadPool(int threads) {
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("overload"),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** Whether client {@code i} of {@code count} is slow: {@code slow} of them, spread evenly. */
    static OverloadClient.Kind kindOf(int i, int count, int slow) {
        long before = (long) i * slow / count;
        long upTo = (long) (i + 1) * slow / count;
        return upTo > before ? OverloadClient.Kind.SLOW : OverloadClient.Kind.FAST;
    }

    /**
     * Opens {@code count} clients to {@code url}, {@code perSecond} a second, {@code slow} of them
     * slow; returns once each has opened or failed, or 20 s after the last attempt.
     */
    void open(URI url, int count, int slow, double perSecond, List<InetAddress> sources, long slowReadMillis,
              int slowReadBytes, int slowSocketBufferBytes) throws InterruptedException {
        Bootstrap fast = new Bootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        Bootstrap slowOnes = fast.clone()
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slowReadBytes))
                .option(ChannelOption.SO_RCVBUF, slowSocketBufferBytes);
        InetSocketAddress remote = new InetSocketAddress(url.getHost(), url.getPort());
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = start + (long) (i * 1e9 / perSecond) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            OverloadClient.Kind kind = kindOf(i, count, slow);
            OverloadClient client = new OverloadClient(this, i, kind, slowReadMillis);
            Bootstrap b = (kind == OverloadClient.Kind.SLOW ? slowOnes : fast).clone().handler(initializer(url, client));
            ChannelFuture f = sources.isEmpty() ? b.connect(remote)
                    : b.connect(remote, new InetSocketAddress(sources.get(i % sources.size()), 0));
            synchronized (this) {
                channels.add(f.channel());
                clients.add(client);
            }
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    failed("connect: " + done.cause());
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (open.get() + failed.get() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static ChannelInitializer<Channel> initializer(URI uri, OverloadClient client) {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                .handshakeTimeoutMillis(15_000)
                .handleCloseFrames(false) // the client records the server's close code
                .withUTF8Validator(false)
                .build();
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(client.gate(), new HttpClientCodec(), new HttpObjectAggregator(16 * 1024),
                        new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(MAX_FRAME_BYTES), client);
            }
        };
    }

    /** Milliseconds since this pool was made: the clock of the close times. */
    long millisSinceStart() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    void opened() {
        open.incrementAndGet();
    }

    void failed(String reason) {
        failed.incrementAndGet();
        String key = reason.length() > 120 ? reason.substring(0, 120) : reason;
        if (failures.size() < 20 || failures.containsKey(key)) {
            failures.computeIfAbsent(key, k -> new LongAdder()).increment();
        }
    }

    void subscribed() {
        subscribed.incrementAndGet();
    }

    int openCount() {
        return open.get();
    }

    int failedCount() {
        return failed.get();
    }

    int subscribedCount() {
        return subscribed.get();
    }

    Map<String, LongAdder> failures() {
        return failures;
    }

    /** Clients that have not received {@code offset} yet and are still open, asked on their event loops. */
    int behind(long offset) throws InterruptedException {
        int n = 0;
        for (int i = 0; i < size(); i++) {
            OverloadClient c = client(i);
            if (!onLoop(i, () -> c.caughtUp(offset), true)) {
                n++;
            }
        }
        return n;
    }

    /** Every client's result, in index order, read on its event loop. */
    List<OverloadClient.Result> results() throws InterruptedException {
        List<OverloadClient.Result> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            out.add(onLoop(i, client(i)::result, null));
        }
        return out;
    }

    /** Sends every open client's close (1000) and waits up to {@code seconds} for the connections to end. */
    void closeAll(long seconds) throws InterruptedException {
        for (int i = 0; i < size(); i++) {
            OverloadClient c = client(i);
            onLoop(i, () -> {
                c.closeNormally();
                return null;
            }, null);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (activeCount() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private synchronized int activeCount() {
        return (int) channels.stream().filter(Channel::isActive).count();
    }

    private synchronized int size() {
        return clients.size();
    }

    private synchronized OverloadClient client(int i) {
        return clients.get(i);
    }

    private synchronized Channel channel(int i) {
        return channels.get(i);
    }

    private <T> T onLoop(int i, java.util.concurrent.Callable<T> task, T fallback) throws InterruptedException {
        try {
            return channel(i).eventLoop().submit(task).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return fallback;
        }
    }

    @Override
    public void close() {
        List<Channel> all;
        synchronized (this) {
            all = new ArrayList<>(channels);
        }
        all.forEach(Channel::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
