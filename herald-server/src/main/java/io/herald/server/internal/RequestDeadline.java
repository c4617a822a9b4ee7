package io.herald.server.internal;

import io.herald.HeraldException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the time an HTTP connection may hold a socket without a complete request, and closes it
 * past that: {@code limits.handshakeTimeout} from accept to its first complete request, so that a
 * connection that says nothing is closed too; then, on a keep-alive connection,
 * {@code limits.keepAliveTimeout} from each response to the first byte of the next request and
 * {@code limits.handshakeTimeout} from that byte to the complete request. A slowloris client that
 * sends a header a minute keeps reads flowing, so a read timeout alone would never fire. No deadline
 * runs while a request is being answered. Sits before the HTTP codec; the router calls
 * {@link #complete} for every full request and removes it on upgrade. Per connection, confined to
 * its event loop.
 */
final class RequestDeadline extends ChannelDuplexHandler {
    static final String NAME = "request-deadline";
    private static final Logger log = LoggerFactory.getLogger(RequestDeadline.class);

    /** What the connection was doing when its time ran out, a label of {@code herald.http.timeouts}. */
    enum Phase {
        /** nothing sent since accept */
        SILENT,
        /** part of a request sent (slowloris) */
        PARTIAL,
        /** nothing sent since the last response (idle keep-alive) */
        IDLE;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final long requestTimeoutMillis;
    private final long idleTimeoutMillis;
    private final ServerContext server;
    private ScheduledFuture<?> deadline;
    /** Whether a request was answered on this connection, and whether the current one has begun. */
    private boolean answeredOne;
    private boolean requestBegun;

    RequestDeadline(ServerContext server) {
        this.requestTimeoutMillis = server.config().handshakeTimeout().toMillis();
        this.idleTimeoutMillis = server.config().keepAliveTimeout().toMillis();
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx, requestTimeoutMillis);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx, requestTimeoutMillis);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!requestBegun && msg instanceof ByteBuf b && b.isReadable()) {
            requestBegun = true;
            if (answeredOne) {
                // the idle wait is over; the request itself gets the (shorter) request timeout
                cancel();
                start(ctx, requestTimeoutMillis);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** A response (or part of one) is going out: the wait for the next request starts. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        answeredOne = true;
        start(ctx, idleTimeoutMillis);
        ctx.write(msg, promise);
    }

    /** A full request arrived: no deadline while it is answered. */
    void complete() {
        requestBegun = false;
        cancel();
    }

    private void start(ChannelHandlerContext ctx, long timeoutMillis) {
        if (deadline == null) {
            deadline = ctx.executor().schedule(() -> expire(ctx, timeoutMillis), timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void expire(ChannelHandlerContext ctx, long timeoutMillis) {
        deadline = null;
        Phase phase = requestBegun ? Phase.PARTIAL : answeredOne ? Phase.IDLE : Phase.SILENT;
        server.metrics().requestTimeout(phase);
        String ip = ServerContext.remoteIp(ctx.channel());
        if (phase == Phase.IDLE) {
            log.debug("closing {}: idle keep-alive connection, no request within {} ms", ip, timeoutMillis);
        } else {
            server.badInput(ip, "request_timeout", HeraldException.badRequest(
                    "no complete HTTP request within " + timeoutMillis + " ms (" + phase.tag() + ")"));
        }
        ctx.close();
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }
}
