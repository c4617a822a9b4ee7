package io.herald.bench.scan;

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
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One WebSocket client of the scan benchmark: connects to {@code ws://host:port/ws/{channel}}
 * (connect and subscribe in one step), optionally offering permessage-deflate as browsers do, and
 * tallies what arrives. Thread-safe: its state stays on its event loop.
 */
final class ScanClient {
    /** Largest frame or inflated message accepted; a big batch stays far below it. */
    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private final Channel channel;
    private final ScanClientHandler handler;

    private ScanClient(Channel channel, ScanClientHandler handler) {
        this.channel = channel;
        this.handler = handler;
    }

    /** An event loop group for the benchmark's connections: native epoll when available (as the server), NIO otherwise. */
    static EventLoopGroup newGroup(int threads, String threadName) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadName),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** Starts connecting; {@link #subscribed()} tells when the client is ready. */
    static ScanClient connect(EventLoopGroup group, URI uri, boolean offerDeflate) throws InterruptedException {
        WireByteCounter wire = new WireByteCounter();
        ScanClientHandler handler = new ScanClientHandler(offerDeflate, wire);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .allowExtensions(true) // permessage-deflate sets RSV1
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                .handleCloseFrames(false) // the handler records the server's close code
                .handshakeTimeoutMillis(10_000)
                .build();
        Bootstrap b = new Bootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("wire", wire); // first, so it sees raw TCP bytes
                        p.addLast("http", new HttpClientCodec());
                        p.addLast("http-aggregator", new HttpObjectAggregator(64 * 1024));
                        p.addLast("sniffer", new ExtensionSniffer(handler::deflateNegotiated));
                        if (offerDeflate) {
                            p.addLast("deflate", new WebSocketClientCompressionHandler(MAX_FRAME_BYTES));
                        }
                        p.addLast("ws", new WebSocketClientProtocolHandler(config));
                        p.addLast("ws-aggregator", new WebSocketFrameAggregator(MAX_FRAME_BYTES));
                        p.addLast("scan", handler);
                    }
                });
        ChannelFuture connected = b.connect(uri.getHost(), uri.getPort());
        if (!connected.await(10, TimeUnit.SECONDS) || !connected.isSuccess()) {
            connected.channel().close();
            throw new IllegalStateException("cannot connect to " + uri + ": "
                    + (connected.cause() == null ? "timed out" : connected.cause().toString()));
        }
        return new ScanClient(connected.channel(), handler);
    }

    /** Completes once the server confirmed the subscription. */
    CompletableFuture<Void> subscribed() {
        return handler.subscribed();
    }

    /** Completes once the job's final message arrived. */
    CompletableFuture<Void> finished() {
        return handler.finished();
    }

    /** What the client saw so far, taken on its event loop so the copy is consistent. */
    ClientTally tally() throws InterruptedException, ExecutionException, TimeoutException {
        return channel.eventLoop().submit(handler::tally).get(5, TimeUnit.SECONDS);
    }

    /** Sends a normal close; the returned future completes when the connection is gone. */
    ChannelFuture close() {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "done"));
        }
        return channel.closeFuture();
    }

    /** Cuts the connection without waiting for the server's close. */
    void abort() {
        channel.close();
    }
}
