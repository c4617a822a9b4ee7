package io.herald.server.internal;

import io.herald.HeraldException;
import io.herald.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * First in every pipeline: counts each accepted connection against {@code limits.maxConnections}
 * and {@code limits.maxConnectionsPerIp} ({@link OpenSockets}) from accept to close, so plain HTTP
 * connections count too and a burst of upgrades cannot get past a limit. A connection over a limit
 * is answered at once, without reading its request, with a JSON error and
 * {@code Connection: close}: {@code 429 rate_limited} past the per-address limit (this client holds
 * too many), {@code 503 unavailable} past the global one (the server is full for everyone). Then
 * its input is drained and discarded (closing with unread input would reset the connection and
 * could lose the answer) until the client closes, or {@link #REFUSED_GRACE_MILLIS}.
 * Holds no per-connection state (the address is read again at close; Netty caches it), so one
 * instance serves every connection.
 */
@ChannelHandler.Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {
    static final String NAME = "connection-gate";
    /** How long a refused connection may stay open for its answer to be read. */
    static final long REFUSED_GRACE_MILLIS = 2_000;

    private final ServerContext server;
    private final byte[] addressFull;
    private final byte[] serverFull;

    ConnectionGate(ServerContext server) {
        this.server = server;
        this.addressFull = answer(HeraldException.rateLimited("too many connections from this address (limit "
                + server.config().maxConnectionsPerIp() + ")"));
        this.serverFull = answer(HeraldException.unavailable("the server is full; try again later"));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        String ip = ServerContext.remoteIp(ctx.channel());
        OpenSockets.Claim claim = server.sockets().claim(ip, server.config().maxConnections(),
                server.config().maxConnectionsPerIp());
        if (claim == OpenSockets.Claim.ADMITTED) {
            super.channelActive(ctx);
            return;
        }
        server.metrics().refused(claim);
        boolean perIp = claim == OpenSockets.Claim.ADDRESS_FULL;
        server.badInput(ip, perIp ? "address_full" : "server_full", perIp
                ? HeraldException.rateLimited("connection refused: too many connections from this address")
                : HeraldException.unavailable("connection refused: the server is full"));
        refuse(ctx, perIp ? addressFull : serverFull);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        server.sockets().release(ServerContext.remoteIp(ctx.channel()));
        super.channelInactive(ctx);
    }

    /** Replaces the whole pipeline with the answer and a drain. */
    private void refuse(ChannelHandlerContext ctx, byte[] answer) {
        ChannelPipeline p = ctx.pipeline();
        while (p.last() != this) {
            p.removeLast();
        }
        p.replace(this, NAME, new Refused());
        p.channel().writeAndFlush(Unpooled.wrappedBuffer(answer)).addListener(f -> {
            if (f.isSuccess() && p.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput(); // the client reads the answer, then end of stream, and closes
            } else {
                p.channel().close();
            }
        });
        p.channel().eventLoop().schedule(() -> {
            p.channel().close();
        }, REFUSED_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The whole HTTP answer to {@code e}, written raw: the refused connection's pipeline has no codec. */
    private static byte[] answer(HeraldException e) {
        byte[] body = Json.toString(HttpResponses.body(e.code(), e.getMessage())).getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + HttpResponseStatus.valueOf(e.code().httpStatus())
                + "\r\ncontent-type: application/json\r\ncontent-length: " + body.length
                + "\r\ncache-control: no-store\r\nconnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** A refused connection's only handler: discards what the client sends until it goes. */
    private static final class Refused extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
