package io.herald.server.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilter;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;

/**
 * The pipeline of a new connection: HTTP codec and aggregator, permessage-deflate negotiation,
 * then the router, which upgrades WebSocket requests or answers the API.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
    private static final int COMPRESSION_LEVEL = 6;
    private static final int WINDOW_BITS = 15;

    private final ServerContext server;
    private final ChannelGroup allChannels;
    private final HttpRouter router;

    public ServerInitializer(ServerContext server, ChannelGroup allChannels) {
        this.server = server;
        this.allChannels = allChannels;
        this.router = new HttpRouter(server);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        allChannels.add(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast("http", new HttpServerCodec());
        p.addLast("http-aggregator", new HttpObjectAggregator(server.config().maxRequestSize()));
        if (server.config().compression()) {
            p.addLast("ws-deflate", new WebSocketServerExtensionHandler(deflate(server.config().compressionThreshold(),
                    server.config().maxMessageSize())));
        }
        p.addLast("router", router);
    }

    /** permessage-deflate that skips frames under {@code threshold} bytes and bounds inflation. */
    private static PerMessageDeflateServerExtensionHandshaker deflate(int threshold, int maxInflated) {
        WebSocketExtensionFilter skipSmall = frame -> ((WebSocketFrame) frame).content().readableBytes() < threshold;
        WebSocketExtensionFilterProvider filters = new WebSocketExtensionFilterProvider() {
            @Override
            public WebSocketExtensionFilter encoderFilter() {
                return skipSmall;
            }

            @Override
            public WebSocketExtensionFilter decoderFilter() {
                return WebSocketExtensionFilter.NEVER_SKIP;
            }
        };
        return new PerMessageDeflateServerExtensionHandshaker(COMPRESSION_LEVEL, true, WINDOW_BITS, false, false, filters,
                maxInflated);
    }
}
