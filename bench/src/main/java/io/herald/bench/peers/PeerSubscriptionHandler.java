package io.herald.bench.peers;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Subscribes a connection to the channel of its {@code /ws/{channel}} URL once upgraded; ignores what clients send. */
final class PeerSubscriptionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final PeerChannels channels;

    PeerSubscriptionHandler(PeerChannels channels) {
        this.channels = channels;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof HandshakeComplete hs) {
            String path = hs.requestUri();
            int q = path.indexOf('?');
            String channel = (q < 0 ? path : path.substring(0, q)).substring("/ws/".length());
            channels.subscribe(URLDecoder.decode(channel, StandardCharsets.UTF_8), ctx.channel());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        // clients only answer pings here; nothing to do
    }
}
