package io.herald.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The publisher's HTTP/1.1 keep-alive connections: POSTs JSON bodies pipelined, so the publisher
 * keeps its schedule however slowly the server answers (an open loop: a slow server shows as
 * latency, not as a publisher that politely slows down). Netty with TCP_NODELAY, each request in one write, for the reason
 * {@code HttpPublishThroughput} gives: the JDK client's Nagle/delayed-ACK stall would be measured
 * instead of the server. Requests are queued by {@link #post} and written by {@link #flush}: the
 * requests of one flush leave in one write per connection, so a publisher at thousands of
 * requests a second pays one event loop wake-up and one system call per batch, not per request.
 * With several connections (all on one event loop thread), requests go to them in turn. A
 * connection the server closed (Node's {@code http} closes one idle for 5 s, as between two steps
 * with a long drain) is opened again at the next flush; requests it had in flight fail. One
 * calling thread.
 */
final class PublishClient implements AutoCloseable {
    /** Herald's publish key (peers ignore the header); from {@code HERALD_BENCH_API_KEY}, set by run.sh. */
    private static final String API_KEY = System.getenv().getOrDefault("HERALD_BENCH_API_KEY", "");

    private final EventLoopGroup group;
    private final Connection[] connections;
    private final URI uri;
    private int next;
    private int reconnects;

    /**
     * One connection: {@code pending}, its requests written and not answered yet, oldest first,
     * touched only on the event loop; {@code queued}, its requests not flushed yet, touched only by
     * the calling thread.
     */
    private record Connection(Channel channel, ArrayDeque<CompletableFuture<Integer>> pending, List<Queued> queued) {
    }

    private record Queued(FullHttpRequest request, CompletableFuture<Integer> answer) {
    }

    PublishClient(URI uri) throws IOException, InterruptedException {
        this(uri, 1);
    }

    PublishClient(URI uri, int connections) throws IOException, InterruptedException {
        if (connections < 1) {
            throw new IllegalArgumentException("at least one publish connection, not " + connections);
        }
        this.uri = uri;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("publisher"),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.connections = new Connection[connections];
        try {
            for (int i = 0; i < connections; i++) {
                this.connections[i] = connect();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private Connection connect() throws IOException, InterruptedException {
        ArrayDeque<CompletableFuture<Integer>> pending = new ArrayDeque<>();
        ChannelFuture f = new Bootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1024 * 1024),
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                        CompletableFuture<Integer> f = pending.poll();
                                        if (f != null) {
                                            f.complete(r.status().code());
                                        }
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        failAll(pending, new IOException("the server closed the connection"));
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        failAll(pending, cause);
                                        ctx.close();
                                    }
                                });
                    }
                })
                .connect(uri.getHost(), uri.getPort());
        if (!f.await(10, TimeUnit.SECONDS) || !f.isSuccess()) {
            throw new IOException("cannot connect to " + uri, f.cause());
        }
        return new Connection(f.channel(), pending, new ArrayList<>());
    }

    int connections() {
        return connections.length;
    }

    /** How many times a connection the server had closed was opened again. */
    int reconnects() {
        return reconnects;
    }

    /**
     * Queues a POST of {@code body} on the next connection in turn; {@link #flush} sends it,
     * without waiting for earlier answers (HTTP/1.1 pipelining: the server answers in order). The
     * future completes with the HTTP status, or fails when the connection does. Call from one
     * thread.
     */
    CompletableFuture<Integer> post(byte[] body) {
        Connection c = connections[next];
        next = next + 1 == connections.length ? 0 : next + 1;
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri.getRawPath(),
                Unpooled.wrappedBuffer(body));
        req.headers().set(HttpHeaderNames.HOST, uri.getHost() + ":" + uri.getPort())
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set("X-Api-Key", API_KEY)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        c.queued().add(new Queued(req, answer));
        return answer;
    }

    /**
     * Writes the requests queued since the last flush, in order, with one flush per connection,
     * first opening again a connection the server closed. Call from one thread.
     */
    void flush() throws InterruptedException {
        for (int i = 0; i < connections.length; i++) {
            Connection c = connections[i];
            if (c.queued().isEmpty()) {
                continue;
            }
            if (!c.channel().isActive()) {
                try {
                    Connection fresh = connect();
                    fresh.queued().addAll(c.queued());
                    c.queued().clear();
                    connections[i] = fresh;
                    c = fresh;
                    reconnects++;
                } catch (IOException e) {
                    // the batch fails below, as on a closed connection
                }
            }
            List<Queued> batch = new ArrayList<>(c.queued());
            c.queued().clear();
            Connection conn = c;
            Channel channel = c.channel();
            channel.eventLoop().execute(() -> {
                if (!channel.isActive()) {
                    batch.forEach(q -> {
                        q.request().release();
                        q.answer().completeExceptionally(new IOException("the publish connection is closed"));
                    });
                    return;
                }
                for (Queued q : batch) {
                    conn.pending().add(q.answer());
                    channel.write(q.request());
                }
                channel.flush();
            });
        }
    }

    private static void failAll(ArrayDeque<CompletableFuture<Integer>> pending, Throwable cause) {
        for (CompletableFuture<Integer> f; (f = pending.poll()) != null; ) {
            f.completeExceptionally(cause);
        }
    }

    @Override
    public void close() {
        for (Connection c : connections) {
            if (c != null) {
                c.channel().close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
