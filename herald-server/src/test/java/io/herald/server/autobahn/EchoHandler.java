package io.herald.server.autobahn;

import io.herald.CloseCodes;
import io.herald.server.internal.FrameGuardViolations;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of the echo server: it sees what Herald's session sees (whole, validated,
 * decompressed messages and control frames) and answers control frames and errors the way
 * {@code WebSocketConnection} does (its {@code answerClientClose}, {@code writeClose} and
 * {@code exceptionCaught}), so Autobahn judges Herald's replies rather than an echo of its own.
 * One instance per connection; runs on the connection's event loop.
 */
final class EchoHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(EchoHandler.class);
    /** As {@code ClientConnection.CLOSE_GRACE_MILLIS}. */
    private static final long CLOSE_GRACE_MILLIS = 5_000;

    private boolean closing;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof CloseWebSocketFrame close) {
            if (closing) {
                ctx.close(); // the client answered our close
                return;
            }
            // echo the status code (1000 for an empty close), no reason
            closing = true;
            int code = close.statusCode() < 0 ? CloseCodes.NORMAL : close.statusCode();
            ctx.writeAndFlush(new CloseWebSocketFrame(code, "")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (closing) {
            return; // only the client's close frame matters now
        }
        // a void promise, as the session writes: a failed write comes back through exceptionCaught
        if (frame instanceof TextWebSocketFrame) {
            ctx.write(new TextWebSocketFrame(frame.content().retain()), ctx.voidPromise());
        } else if (frame instanceof BinaryWebSocketFrame) {
            ctx.write(new BinaryWebSocketFrame(frame.content().retain()), ctx.voidPromise());
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.write(new PongWebSocketFrame(frame.content().retain()), ctx.voidPromise());
        }
        // PongWebSocketFrame: unsolicited pongs are ignored (RFC 6455 §5.5.3)
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        OptionalInt violation = FrameGuardViolations.closeCode(cause);
        if (cause instanceof PrematureChannelClosureException || cause instanceof CorruptedWebSocketFrameException) {
            return; // the client left mid-message, or the decoder has already sent 1002/1007/1009 and closed
        } else if (violation.isPresent()) {
            close(ctx, violation.getAsInt(), cause.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            close(ctx, CloseCodes.MESSAGE_TOO_BIG, "message too big");
        } else if (cause instanceof IOException) {
            ctx.close();
        } else {
            log.warn("{}: unexpected error, closing with 1011", ctx.channel(), cause);
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(new CloseWebSocketFrame(CloseCodes.INTERNAL_ERROR, "internal error"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** Our close frame, then only our side shut down until the client answers or the grace period ends. */
    private void close(ChannelHandlerContext ctx, int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        if (!ctx.channel().isActive()) {
            return;
        }
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(f -> {
            if (f.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                ctx.close();
            }
        });
        ctx.executor().schedule(() -> {
            ctx.close();
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
