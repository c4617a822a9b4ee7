package io.herald.server.internal;

import io.herald.CloseCodes;
import io.herald.HeraldException;
import io.herald.MessageFrame;
import io.herald.StreamPosition;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;

/**
 * A {@link ClientConnection} over a WebSocket: encodes what the core and the commands send as JSON
 * text frames (SPEC §5.1), sends fan-out frames framed for the wire once, bounds the answers a
 * client does not read, and closes with the RFC 6455 handshake. Confined to its event loop.
 */
final class WebSocketConnection extends ClientConnection {

    /** The token from {@code ?token=} or {@code Authorization: Bearer}, or null. */
    private final String upgradeToken;
    /** The channel of {@code /ws/{channel}}, until it is subscribed. */
    private String initialChannel;
    /** The position of {@code /ws/{channel}?since=epoch:offset} to recover from, or null. */
    private final StreamPosition initialSince;
    /**
     * The frame encoder's context, for fan-out frames already framed for the wire: writing there
     * skips the handlers behind it, none of which touches outbound bytes. Null when permessage-deflate
     * was negotiated: then frames go through the compression encoder.
     */
    private ChannelHandlerContext wireContext;

    WebSocketConnection(ServerContext server, Channel channel, ConnectionInfo info, String initialChannel,
            StreamPosition initialSince, String upgradeToken) {
        super(server, channel, info);
        this.initialChannel = initialChannel;
        this.initialSince = initialSince;
        this.upgradeToken = upgradeToken;
    }

    io.netty.buffer.ByteBufAllocator alloc() {
        return channel.alloc();
    }

    /** Called on the loop once the handshake response is written. */
    void opened(WebSocketCommands commands) {
        if (!channel.isActive()) {
            return;
        }
        // the extension handler adds its encoder before this listener runs (it registered first)
        wireContext = channel.pipeline().get(WebSocketExtensionEncoder.class) != null ? null
                : channel.pipeline().context(WebSocketFrameEncoder.class);
        if (open(upgradeToken)) {
            welcomed(commands, null);
        }
    }

    /** Says welcome; the first time, subscribes to the URL's channel. */
    void welcomed(WebSocketCommands commands, com.fasterxml.jackson.databind.JsonNode id) {
        reply(ServerFrames.welcome(channel.alloc(), id, id(), server.config().heartbeatInterval().toMillis(),
                server.config().heartbeatTimeout().toMillis(), ServerContext.SERVER_NAME));
        if (initialChannel != null) {
            String ch = initialChannel;
            initialChannel = null;
            commands.subscribeAtOpen(ch, initialSince);
        }
    }

    @Override
    public void send(MessageFrame frame) {
        if (!channel.isActive() || !connected()) {
            return;
        }
        ByteBuf text = frame.text();
        info.sent(frame.size(), text.readableBytes());
        ChannelHandlerContext at = wireContext;
        if (at == null) {
            channel.writeAndFlush(new TextWebSocketFrame(text.retainedDuplicate()), channel.voidPromise());
            return;
        }
        at.writeAndFlush(frame.wire(ServerFrames.WEBSOCKET_TEXT).retainedDuplicate(), at.voidPromise());
    }

    @Override
    public void lag(String channelName, long skipped) {
        if (channel.isActive() && connected()) {
            info.lagged(skipped);
            send(ServerFrames.lag(channel.alloc(), channelName, skipped));
        }
    }

    @Override
    public void unsubscribed(String channelName, String reason) {
        if (channel.isActive() && connected()) {
            send(ServerFrames.unsubscribed(channel.alloc(), null, channelName, reason));
        }
    }

    /** Writes one text frame and flushes it. */
    private void send(ByteBuf json) {
        info.sent(0, json.readableBytes());
        channel.writeAndFlush(new TextWebSocketFrame(json), channel.voidPromise());
    }

    /**
     * Writes an answer to the client's own frame (a reply, an error). Answers bypass the core's
     * backlog, so a client that keeps asking and never reads could otherwise grow the outbound
     * buffer without end: past the connection's outbound bound it is closed with 1008.
     */
    void reply(ByteBuf json) {
        if (!channel.isActive() || !withinOutboundBound(json.readableBytes())) {
            json.release();
            return;
        }
        send(json);
    }

    /** Answers a protocol ping, within the same bound. */
    void pong(ByteBuf payload) {
        if (withinOutboundBound(payload.readableBytes() + 2)) {
            info.sent(0, payload.readableBytes());
            channel.writeAndFlush(new PongWebSocketFrame(payload.retain()), channel.voidPromise());
        }
    }

    /** Whether {@code bytes} more fit in the outbound buffer; closes the connection (1008) if not. */
    private boolean withinOutboundBound(int bytes) {
        if (channel.isWritable()) {
            return true;
        }
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        long pending = out == null ? 0 : out.totalPendingWriteBytes();
        if (pending + bytes <= server.outboundBoundBytes()) {
            return true;
        }
        if (connected()) {
            server.badInput(id(), "answers_unread", HeraldException.rateLimited("answers not read: "
                    + pending + " bytes waiting for the client, the bound is " + server.outboundBoundBytes()));
            info.recordError("policy: answers not read");
            close(CloseCodes.POLICY_VIOLATION, "not reading");
        }
        return false;
    }

    @Override
    protected void writePing() {
        ByteBuf ping = ServerFrames.ping();
        info.sent(0, ping.readableBytes());
        channel.writeAndFlush(new TextWebSocketFrame(ping), channel.voidPromise());
    }

    @Override
    protected void writeShutdown(long reconnectAfterMs) {
        send(ServerFrames.shutdown(channel.alloc(), reconnectAfterMs));
    }

    /**
     * RFC 6455 §7.1.1: sends our close, then waits for the client's. Closing the socket at once
     * while the client is still sending would reset the connection and lose the close frame, so
     * only our side is shut down; the client's close (or EOF) ends the connection.
     */
    @Override
    protected void writeClose(int code, String reason) {
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(f -> {
            if (f.isSuccess() && channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                channel.close();
            }
        });
        // a client that stopped reading never lets the close frame out
        cutWhenStalled();
    }

    /** The client sent its close frame first: echo its code and close. */
    void answerClientClose(int code) {
        closedByClient(code);
        channel.writeAndFlush(new CloseWebSocketFrame(code < 0 ? CloseCodes.NORMAL : code, ""))
                .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }

    /** An internal failure: close with 1011 at once. */
    void internalError(Throwable cause) {
        failed("internal: " + cause, CloseCodes.INTERNAL_ERROR);
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(CloseCodes.INTERNAL_ERROR, "internal error"))
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        }
    }
}
