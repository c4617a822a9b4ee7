package io.herald.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The raw-Netty peer of the benchmarks: the least a JVM broadcast server can do per delivery.
 * {@code GET /ws/{channel}} upgrades and subscribes; {@code POST /api/publish}
 * ({@code {"channel","event","data"}}, one object) encodes the message once as a
 * {@code message} frame shaped like Herald's and writes that one buffer ({@code retainedDuplicate})
 * to every subscriber; {@code GET /health} answers 200. No batching, no backpressure, no history.
 *
 * <pre>
 * java -cp bench/target/herald-bench.jar io.herald.bench.peers.RawNettyPeer [port] [host]
 * </pre>
 */
public final class RawNettyPeer {
    private RawNettyPeer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("peer-boss"),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("peer-io"),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        PeerChannels channels = new PeerChannels();
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws")
                .checkStartsWith(true)
                .handleCloseFrames(true)
                .build();
        try {
            Channel server = new ServerBootstrap().group(boss, workers)
                    .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1024 * 1024),
                                    new PeerHttpHandler(channels), new WebSocketServerProtocolHandler(ws),
                                    new PeerSubscriptionHandler(channels));
                        }
                    })
                    .bind(host, port).sync().channel();
            System.out.println("raw-netty peer listening on " + host + ":" + port);
            server.closeFuture().sync();
        } finally {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
        }
    }
}
