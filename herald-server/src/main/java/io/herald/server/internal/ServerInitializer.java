package io.herald.server.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The pipeline of a new connection: the connection limits, the request deadline, HTTP codec and
 * aggregator, permessage-deflate negotiation, then the router, which upgrades WebSocket requests or
 * answers the API.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
    private final ServerContext server;
    private final ChannelGroup allChannels;
    private final HttpRouter router;
    private final ConnectionGate gate;

    public ServerInitializer(ServerContext server, ChannelGroup allChannels) {
        this.server = server;
        this.allChannels = allChannels;
        this.router = new HttpRouter(server);
        this.gate = new ConnectionGate(server);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        allChannels.add(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast(ConnectionGate.NAME, gate);
        p.addLast(RequestDeadline.NAME, new RequestDeadline(server));
        p.addLast("http", new HttpServerCodec(4096, server.config().maxHeaderSize(), 8192));
        p.addLast("http-aggregator", new RequestAggregator(server));
        ChannelHandler deflate = WebSocketPipeline.deflate(server.config());
        if (deflate != null) {
            p.addLast("ws-deflate", deflate);
        }
        p.addLast("router", router);
    }
}
