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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The publisher's HTTP/1.1 keep-alive connection: POSTs JSON bodies pipelined, so the publisher
 * keeps its schedule however slowly the server answers (an open loop: a slow server shows as
 * latency, not as a publisher that politely slows down). Netty with TCP_NODELAY, each request in one write, for the reason
 * {@code HttpPublishThroughput} gives: the JDK client's Nagle/delayed-ACK stall would be measured
 * instead of the server. One calling thread.
 */
final class PublishClient implements AutoCloseable {
    /** Herald's publish key (peers ignore the header); from {@code HERALD_BENCH_API_KEY}, set by run.sh. */
    private static final String API_KEY = System.getenv().getOrDefault("HERALD_BENCH_API_KEY", "");

    private final EventLoopGroup group;
    private final Channel channel;
    private final URI uri;
    /** Requests sent and not answered yet, oldest first; touched only on the connection's event loop. */
    private final ArrayDeque<CompletableFuture<Integer>> pending = new ArrayDeque<>();

    PublishClient(URI uri) throws IOException, InterruptedException {
        this.uri = uri;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("publisher"),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
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
                                        failAll(new IOException("the server closed the connection"));
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        failAll(cause);
                                        ctx.close();
                                    }
                                });
                    }
                })
                .connect(uri.getHost(), uri.getPort());
        if (!f.await(10, TimeUnit.SECONDS) || !f.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot connect to " + uri, f.cause());
        }
        this.channel = f.channel();
    }

    /**
     * POSTs {@code body} without waiting for earlier answers (HTTP/1.1 pipelining: the server
     * answers in order). The future completes with the HTTP status, or fails when the connection
     * does. Call from one thread.
     */
    CompletableFuture<Integer> post(byte[] body) {
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri.getRawPath(),
                Unpooled.wrappedBuffer(body));
        req.headers().set(HttpHeaderNames.HOST, uri.getHost() + ":" + uri.getPort())
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set("X-Api-Key", API_KEY)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                answer.completeExceptionally(new IOException("the publish connection is closed"));
                return;
            }
            pending.add(answer);
            channel.writeAndFlush(req);
        });
        return answer;
    }

    private void failAll(Throwable cause) {
        for (CompletableFuture<Integer> f; (f = pending.poll()) != null; ) {
            f.completeExceptionally(cause);
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
