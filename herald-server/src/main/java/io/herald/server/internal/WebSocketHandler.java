package io.herald.server.internal;

import io.herald.CloseCodes;
import io.herald.HeraldException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket protocol of one connection after the upgrade: counts every frame against the
 * inbound rate, hands text frames to the {@link WebSocketCommands}, answers protocol pings, runs
 * the closing handshake and maps decoder failures to close codes. What Herald does with the
 * connection lives in {@link WebSocketConnection}. Per connection, confined to its event loop.
 */
final class WebSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(WebSocketHandler.class);

    private final ServerContext server;
    private final WebSocketConnection connection;
    private final WebSocketCommands commands;
    private final InboundRate rate;

    WebSocketHandler(ServerContext server, WebSocketConnection connection) {
        super(true);
        this.server = server;
        this.connection = connection;
        this.commands = new WebSocketCommands(server, connection);
        this.rate = new InboundRate(server.config().inboundRate());
    }

    WebSocketConnection connection() {
        return connection;
    }

    /** Called on the loop once the handshake response is written. */
    void opened() {
        connection.opened(commands);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        ConnectionInfo info = connection.info();
        if (info.state == ConnectionState.DISCONNECTING && !(frame instanceof CloseWebSocketFrame)) {
            return; // closing: only the client's close frame matters now
        }
        connection.seen(); // any frame is a sign of life, even one refused for the rate
        boolean data = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
        info.received(frame.content().readableBytes());
        if (!(frame instanceof CloseWebSocketFrame) && !withinRate(data)) {
            return;
        }
        if (frame instanceof TextWebSocketFrame) {
            info.receivedMessage();
            commands.onText(frame.content());
        } else if (frame instanceof PingWebSocketFrame) {
            connection.pong(frame.content());
        } else if (frame instanceof CloseWebSocketFrame close) {
            if (info.state == ConnectionState.DISCONNECTING) {
                ctx.channel().close(); // the client answered our close
            } else {
                connection.answerClientClose(close.statusCode());
            }
        } else if (frame instanceof BinaryWebSocketFrame) {
            info.receivedMessage();
            commands.reject(null, HeraldException.badRequest("binary frames are not supported; send JSON text frames"));
        }
        // PongWebSocketFrame: a sign of life, counted above
    }

    /**
     * Whether the frame fits in the inbound rate (every frame counts: each ping asks for a pong).
     * A rejected data frame is answered {@code rate_limited}; a rejected control frame is dropped
     * without an answer; a sustained flood closes with 1008.
     */
    private boolean withinRate(boolean data) {
        switch (rate.admit(server.clock().nanoTime())) {
            case ALLOW -> {
                return true;
            }
            case ABUSE -> {
                server.badInput(connection.id(), "inbound_flood", HeraldException.rateLimited("more than "
                        + rate.rate() + " frames rejected in a row for the rate limit; closing with 1008"));
                connection.close(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
            }
            case REJECT -> {
                if (data) {
                    commands.reject(null, HeraldException.rateLimited("too many messages: at most " + rate.rate() + " per second"));
                } else {
                    server.badInput(connection.id(), "control_flood",
                            HeraldException.rateLimited("control frame over the rate limit"));
                }
            }
        }
        return false;
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
        ConnectionInfo info = connection.info();
        if (cause instanceof PrematureChannelClosureException) {
            // the client went away in the middle of a fragmented message: an ordinary disconnect
            log.debug("connection {}: closed in the middle of a message", connection.id());
        } else if (cause instanceof FrameGuard.Violation v) {
            info.recordError("protocol: " + v.getMessage());
            server.badInput(connection.id(), v);
            connection.close(v.closeCode(), v.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            info.recordError("too_large: " + cause.getMessage());
            server.badInput(connection.id(), HeraldException.tooLarge(cause.getMessage()));
            connection.close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
        } else if (cause instanceof CorruptedWebSocketFrameException) {
            // the decoder has already answered with the close code the violation calls for
            info.recordError("protocol: " + cause.getMessage());
            server.badInput(connection.id(), HeraldException.badRequest(cause.getMessage()));
        } else if (cause instanceof IOException) {
            connection.failed("io: " + cause.getMessage(), -1);
            log.debug("connection {}: {}", connection.id(), cause.toString());
            ctx.close();
        } else {
            server.unexpected(log, "connection " + connection.id(), cause);
            connection.internalError(cause);
        }
    }
}
