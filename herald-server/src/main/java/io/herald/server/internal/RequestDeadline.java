package io.herald.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a client a fixed time to finish each HTTP request (an upgrade included) from its first
 * byte, and closes the connection otherwise: a slowloris client that sends a header a minute keeps
 * reads flowing, so a read timeout alone would never fire. Sits before the HTTP codec; the router
 * calls {@link #complete} for every full request and removes it on upgrade. Per connection.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
    static final String NAME = "request-deadline";
    private static final Logger log = LoggerFactory.getLogger(RequestDeadline.class);

    private final long timeoutMillis;
    private final ServerContext server;
    private ScheduledFuture<?> deadline;

    RequestDeadline(long timeoutMillis, ServerContext server) {
        this.timeoutMillis = timeoutMillis;
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (deadline == null && msg instanceof ByteBuf b && b.isReadable()) {
            deadline = ctx.executor().schedule(() -> {
                log.info("closing {}: no complete HTTP request within {} ms", ctx.channel().remoteAddress(), timeoutMillis);
                server.metrics().error(io.herald.ErrorCode.BAD_REQUEST);
                ctx.close();
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** A full request arrived: the next one gets its own deadline. */
    void complete() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        complete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        complete();
        super.channelInactive(ctx);
    }
}
