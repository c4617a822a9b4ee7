package io.herald.server.autobahn;

import io.herald.server.ServerConfig;
import io.herald.server.internal.WebSocketPipeline;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket echo server built from Herald's own frame pipeline ({@link WebSocketPipeline}), for
 * the Autobahn|Testsuite fuzzing client ({@code -Pautobahn}, see herald-server/pom.xml) and the
 * {@code *ConformanceTest}s. Every path is upgraded; text and binary messages come back as they
 * arrived, pings get pongs, a close gets Herald's close reply. The connection pipeline is the
 * server's: HTTP codec, HTTP aggregator, {@link WebSocketPipeline#deflate}, then a handshake with
 * {@link WebSocketPipeline#decoderConfig} and {@link WebSocketPipeline#install}.
 *
 * <p>{@link #CONFORMANCE_CONFIG} raises {@code maxMessageSize} to 16 MiB, the largest message
 * Autobahn sends (cases 9.1.6 and 9.2.6; the limits are inclusive), and {@code maxFragments} to
 * 65,537. With the production defaults (64 KiB, 128 fragments) the 42 cases of group 9 over 64 KiB
 * are closed with 1009, which Autobahn reports as FAILED: deliberate limits, not conformance bugs.
 * The HTTP request deadline and the session's own policies (authentication, inbound rate) are
 * not part of the frame pipeline and are left out.
 *
 * <pre>
 * java -cp ... io.herald.server.autobahn.AutobahnEchoServer 9001   # ws://127.0.0.1:9001/
 * </pre>
 */
public final class AutobahnEchoServer implements AutoCloseable {
    /**
     * Herald's defaults (compression on, 1 KiB threshold) with room for Autobahn's biggest messages:
     * 16 MiB in one frame (9.1.6, 9.2.6) and 4 MiB in 65,537 frames, an empty one and 65,536 of 64
     * bytes (9.3.1, 9.4.1).
     */
    public static final ServerConfig CONFORMANCE_CONFIG = ServerConfig.newBuilder()
            .maxMessageSize(16 * 1024 * 1024)
            .maxFragments(65_537)
            .build();
    /** System property read by {@link #main}: {@code maxMessageSize} in bytes. */
    public static final String MAX_MESSAGE_SIZE_PROPERTY = "herald.autobahn.maxMessageSize";

    private final EventLoopGroup group;
    private final Channel serverChannel;

    private AutobahnEchoServer(EventLoopGroup group, Channel serverChannel) {
        this.group = group;
        this.serverChannel = serverChannel;
    }

    /** Binds {@code config.host()}:{@code config.port()} (port 0 picks a free one) and returns once listening. */
    public static AutobahnEchoServer start(ServerConfig config) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("autobahn-echo", true),
                NioIoHandler.newFactory());
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new Initializer(config))
                    .bind(config.host(), config.port())
                    .syncUninterruptibly()
                    .channel();
            return new AutobahnEchoServer(group, ch);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops listening, closes every connection and waits for the event loops to end. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Runs until interrupted, as the Autobahn Maven plugin expects: it calls {@code main} with the
     * port on a thread of its own and interrupts that thread when the suite is done. The server
     * binds the address the plugin connects to, {@code InetAddress.getLocalHost()} (a loopback
     * address on the project's machines), unless a second argument names one. The system property
     * {@value #MAX_MESSAGE_SIZE_PROPERTY} overrides {@code maxMessageSize}, to see what a smaller
     * limit does to the suite.
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9001;
        String host = args.length > 1 ? args[1] : localHost();
        ServerConfig config = CONFORMANCE_CONFIG.toBuilder().host(host).port(port)
                .maxMessageSize(Integer.getInteger(MAX_MESSAGE_SIZE_PROPERTY, CONFORMANCE_CONFIG.maxMessageSize()))
                .build();
        try (AutobahnEchoServer server = start(config)) {
            System.out.println("Autobahn echo server on ws://" + host + ":" + server.port() + "/ with " + config);
            server.serverChannel.closeFuture().await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The plugin's own choice of address, with its fallback. */
    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    private static final class Initializer extends ChannelInitializer<SocketChannel> {
        private final ServerConfig config;
        private final Upgrader upgrader;

        Initializer(ServerConfig config) {
            this.config = config;
            this.upgrader = new Upgrader(config);
        }

        @Override
        protected void initChannel(SocketChannel ch) {
            ChannelPipeline p = ch.pipeline();
            p.addLast("http", new HttpServerCodec(4096, config.maxHeaderSize(), 8192)); // as ServerInitializer
            p.addLast("http-aggregator", new HttpObjectAggregator(config.maxRequestSize()));
            ChannelHandler deflate = WebSocketPipeline.deflate(config);
            if (deflate != null) {
                p.addLast("ws-deflate", deflate);
            }
            p.addLast("upgrade", upgrader);
        }
    }

    /** Upgrades any request the way {@code HttpRouter.upgrade} does, with an echo handler last. */
    @ChannelHandler.Sharable
    private static final class Upgrader extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ServerConfig config;

        Upgrader(ServerConfig config) {
            this.config = config;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String url = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri();
            // as HttpRouter.upgrade: reserved bits pass the frame decoder only if deflate may be negotiated
            boolean deflateOffered = WebSocketPipeline.deflateOffered(req);
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null,
                    WebSocketPipeline.decoderConfig(config, deflateOffered)).newHandshaker(req);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            ChannelPipeline p = ctx.pipeline();
            WebSocketPipeline.install(p, ctx.name(), config, new EchoHandler());
            handshaker.handshake(ctx.channel(), req).addListener(f -> {
                if (!f.isSuccess()) {
                    ctx.channel().close();
                }
            });
            p.remove(this);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
