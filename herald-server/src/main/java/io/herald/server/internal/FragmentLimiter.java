package io.herald.server.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Bounds how many frames one fragmented message may span. The aggregator bounds the bytes; this
 * bounds the count, so endless tiny continuation frames cannot cost a buffer component each.
 * Per connection, not shareable.
 */
final class FragmentLimiter extends ChannelInboundHandlerAdapter {
    private final int maxFragments;
    private int fragments;

    FragmentLimiter(int maxFragments) {
        this.maxFragments = maxFragments;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame frame && (frame instanceof ContinuationWebSocketFrame || !frame.isFinalFragment())) {
            fragments = frame instanceof ContinuationWebSocketFrame ? fragments + 1 : 1;
            if (frame.isFinalFragment()) {
                fragments = 0;
            } else if (fragments > maxFragments) {
                ReferenceCountUtil.release(msg);
                ctx.fireExceptionCaught(new TooLongFrameException("a message of more than " + maxFragments + " fragments"));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
