package io.herald.server.internal;

import io.herald.CloseCodes;
import io.herald.ErrorCode;
import io.herald.HeraldException;
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
    /**
     * A frame that breaks the protocol: a {@link HeraldException} ({@code too_large} for 1009,
     * {@code bad_request} otherwise) that carries the close code the session closes with. Made by
     * the factories below; thrown per bad frame, so it has no stack trace.
     */
    static final class Violation extends HeraldException {
        private final int code;

        private Violation(int closeCode, String message) {
            super(closeCode == CloseCodes.MESSAGE_TOO_BIG ? ErrorCode.TOO_LARGE : ErrorCode.BAD_REQUEST, message, false);
            this.code = closeCode;
        }

        /** The WebSocket close code for this violation (1002, 1007 or 1009). */
        int closeCode() {
            return code;
        }

        static Violation reservedBits() {
            return new Violation(CloseCodes.PROTOCOL_ERROR, "reserved bits set without an extension");
        }

        static Violation corruptCompression() {
            return new Violation(CloseCodes.INVALID_PAYLOAD, "compressed data is corrupt");
        }

        static Violation tooBigInflated() {
            return new Violation(CloseCodes.MESSAGE_TOO_BIG, "message too big once inflated");
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
            ctx.fireExceptionCaught(Violation.reservedBits());
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
            ctx.fireExceptionCaught(corrupt ? Violation.corruptCompression() : Violation.tooBigInflated());
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
