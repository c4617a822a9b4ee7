package io.herald.server.internal;

import io.herald.CloseCodes;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.zip.DataFormatException;

/**
 * Checks frames after the frame codec and any permessage-deflate decoder, before aggregation:
 * <ul>
 *   <li>no reserved bit may be left set (RFC 6455 §5.2: the deflate decoder consumes RSV1 of the
 *       frames it inflated; anything else has no negotiated meaning): close 1002;
 *   <li>one fragmented message may span at most {@code maxFragments} frames, so endless tiny
 *       continuation frames cannot cost a buffer component each (the aggregator bounds the bytes):
 *       close 1009;
 *   <li>a message that inflates past {@code maxMessageSize} or does not inflate: close 1009 or 1007.
 * </ul>
 * Per connection, not shareable.
 */
final class FrameGuard extends ChannelInboundHandlerAdapter {
    /** A frame that breaks the protocol; the session closes with {@link #code}. */
    static final class Violation extends RuntimeException {
        final int code;

        Violation(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private final int maxFragments;
    private int fragments;

    FrameGuard(int maxFragments) {
        this.maxFragments = maxFragments;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (frame.rsv() != 0) {
            ReferenceCountUtil.release(msg);
            ctx.fireExceptionCaught(new Violation(CloseCodes.PROTOCOL_ERROR, "reserved bits set without an extension"));
            return;
        }
        if (frame instanceof ContinuationWebSocketFrame || !frame.isFinalFragment()) {
            fragments = frame instanceof ContinuationWebSocketFrame ? fragments + 1 : 1;
            if (fragments > maxFragments) {
                fragments = 0;
                ReferenceCountUtil.release(msg);
                ctx.fireExceptionCaught(new TooLongFrameException("a message of more than " + maxFragments + " fragments"));
                return;
            }
            if (frame.isFinalFragment()) {
                fragments = 0;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * The deflate decoder reports a message that inflates past {@code maxMessageSize} (1009) or does
     * not inflate (1007) as a {@link DecompressionException}: turn it into a violation the session
     * closes with, instead of an internal error.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecompressionException) {
            boolean corrupt = cause.getCause() instanceof DataFormatException;
            ctx.fireExceptionCaught(corrupt
                    ? new Violation(CloseCodes.INVALID_PAYLOAD, "compressed data is corrupt")
                    : new Violation(CloseCodes.MESSAGE_TOO_BIG, "message too big once inflated"));
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
