package io.herald.server.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty side of one SSE stream once its response started: the client sends nothing more (a
 * pipelined request or a body is dropped), so this only passes the socket's writability and its
 * end to the {@link SseConnection}. Per connection, confined to its event loop.
 */
final class SseHandler extends ChannelInboundHandlerAdapter {
    static final String NAME = "sse";
    private static final Logger log = LoggerFactory.getLogger(SseHandler.class);

    private final ServerContext server;
    private final SseConnection connection;

    SseHandler(ServerContext server, SseConnection connection) {
        this.server = server;
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            connection.writable();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        connection.closed();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            connection.failed("io: " + cause.getMessage(), -1);
            log.debug("connection {}: {}", connection.id(), cause.toString());
            ctx.close();
        } else {
            server.unexpected(log, "connection " + connection.id(), cause);
            connection.internalError(cause);
        }
    }
}
