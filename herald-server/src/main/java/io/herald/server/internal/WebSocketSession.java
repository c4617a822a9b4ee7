package io.herald.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.ClientSession;
import io.herald.CloseCodes;
import io.herald.ErrorCode;
import io.herald.HeraldException;
import io.herald.Message;
import io.herald.Outlet;
import io.herald.SharedFrame;
import io.herald.StreamPosition;
import io.herald.server.ConnectionStats;
import io.herald.server.internal.auth.Permissions;
import io.herald.server.internal.auth.UnauthorizedException;
import io.herald.internal.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
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
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection after the upgrade: reads client commands (SPEC §5.1), writes frames
 * the core hands it, sends heartbeats and closes with the right code. Confined to its event loop;
 * a failure here touches this connection only.
 */
final class WebSocketSession extends SimpleChannelInboundHandler<WebSocketFrame> implements Outlet {
    private static final Logger log = LoggerFactory.getLogger(WebSocketSession.class);
    /** How long a close frame may wait to be written before the socket is closed anyway. */
    static final long CLOSE_GRACE_MILLIS = 5_000;

    private final ServerContext server;
    private final Channel channel;
    private final ConnectionInfo info;
    /** The channel of {@code /ws/{channel}}, until it is subscribed (then null: the hub holds the name). */
    private String initialChannel;
    private final long connectedNanos;
    /** The token from {@code ?token=} or {@code Authorization: Bearer}, or null. */
    private final String upgradeToken;
    private ClientSession session;
    /** What this connection may do; null until it authenticated. */
    private Permissions permissions;
    private ScheduledFuture<?> heartbeat;
    /** Closes the connection when its token expires, or when it has not authenticated in time. */
    private ScheduledFuture<?> authDeadline;
    private final Liveness liveness;
    /** Whether the connection authenticated with a token (not anonymously): its user can no longer change. */
    private boolean tokenAuthenticated;
    /** The user this connection counts against in the registry, or null. */
    private String claimedUser;
    /** Inbound token bucket (SPEC §8): tokens left, when last refilled, rejections in a row. */
    private double rateTokens;
    private long rateRefillNanos;
    private int rateStrikes;
    private int closeCode = -1;
    /**
     * The frame encoder's context, for fan-out frames already framed for the wire: writing there
     * skips the handlers behind it, none of which touches outbound bytes. Null when permessage-deflate
     * was negotiated: then frames go through the compression encoder.
     */
    private ChannelHandlerContext wireContext;

    WebSocketSession(ServerContext server, Channel channel, ConnectionInfo info, String initialChannel,
            String upgradeToken) {
        super(true);
        this.server = server;
        this.channel = channel;
        this.info = info;
        this.initialChannel = initialChannel;
        this.upgradeToken = upgradeToken;
        this.connectedNanos = server.clock().nanoTime();
        this.liveness = new Liveness(server.config().heartbeatTimeout().toNanos(), connectedNanos);
    }

    @Override
    public String id() {
        return info.id();
    }

    @Override
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    ConnectionInfo info() {
        return info;
    }

    ConnectionStats snapshot() {
        ClientSession s = session;
        return info.snapshot(s == null ? java.util.Set.of() : s.channels());
    }

    io.netty.channel.ChannelFuture closeFuture() {
        return channel.closeFuture();
    }

    /** Called on the loop once the handshake response is written. */
    void opened() {
        if (!channel.isActive()) {
            return;
        }
        info.state = ConnectionState.CONNECTED;
        // the extension handler adds its encoder before this listener runs (it registered first)
        wireContext = channel.pipeline().get(WebSocketExtensionEncoder.class) != null ? null
                : channel.pipeline().context(WebSocketFrameEncoder.class);
        session = server.herald().openSession(this);
        server.connections().add(this);
        server.metrics().opened();
        log.info("connection {} established from {} ({})", id(), info.remoteIp(), info.userAgent());
        long interval = server.config().heartbeatInterval().toNanos();
        heartbeat = channel.eventLoop().scheduleAtFixedRate(this::heartbeat, interval, interval, TimeUnit.NANOSECONDS);
        if (upgradeToken != null || server.config().auth().anonymous()) {
            authenticate(null, upgradeToken);
        } else {
            // SPEC §5.1: the client authenticates with a connect frame; it has connectTimeout to do so.
            long timeout = server.auth().connectTimeout().toMillis();
            authDeadline = channel.eventLoop().schedule(() -> refuse(UnauthorizedException.connectTimeout(timeout)),
                    timeout, TimeUnit.MILLISECONDS);
        }
    }

    /** Checks {@code token}; on success says welcome (and subscribes to the URL's channel the first time). */
    private void authenticate(JsonNode id, String token) {
        Permissions p;
        try {
            p = server.auth().authenticate(token);
        } catch (UnauthorizedException e) {
            refuse(e);
            return;
        }
        String user = p.user().orElse(null);
        if (tokenAuthenticated && !java.util.Objects.equals(user, info.user)) {
            // a connection is one user's: another user's token must open its own connection
            throw HeraldException.forbidden("this connection is authenticated as '" + info.user
                    + "'; a token for another user needs its own connection");
        }
        tokenAuthenticated |= token != null;
        if (user != null && !user.equals(claimedUser)) {
            if (!server.connections().claimUser(user, server.config().maxConnectionsPerUser())) {
                server.badInput(id(), "user_limit", new HeraldException(ErrorCode.RATE_LIMITED, "user " + user
                        + " already has " + server.config().maxConnectionsPerUser() + " connections"));
                close(CloseCodes.TRY_AGAIN_LATER, "too many connections for this user");
                return;
            }
            releaseUser();
            claimedUser = user;
        }
        boolean first = permissions == null;
        permissions = p;
        info.user = user;
        if (!first) {
            recheckSubscriptions(p);
        }
        if (authDeadline != null) {
            authDeadline.cancel(false);
            authDeadline = null;
        }
        p.expiresAt().ifPresent(expiry -> {
            long delay = Math.max(0, expiry.toEpochMilli() - server.clock().epochMillis());
            authDeadline = channel.eventLoop().schedule(() -> refuse(UnauthorizedException.expired()), delay,
                    TimeUnit.MILLISECONDS);
        });
        reply(ServerFrames.welcome(channel.alloc(), id, id(), server.config().heartbeatInterval().toMillis(),
                server.config().heartbeatTimeout().toMillis(), ServerContext.SERVER_NAME));
        if (first && initialChannel != null) {
            String ch = initialChannel;
            initialChannel = null;
            try {
                subscribe(null, ch, Optional.empty(), null);
            } catch (HeraldException e) {
                reject(null, e);
            }
        }
    }

    /**
     * A renewed authentication may allow less than the one before: every subscription the new
     * permissions do not allow ends, and the client is told with {@code unsubscribed} (reason
     * {@code forbidden}).
     */
    private void recheckSubscriptions(Permissions p) {
        for (String ch : session.channels()) {
            if (!p.canSubscribe(ch)) {
                session.unsubscribe(ch);
                reply(ServerFrames.unsubscribed(channel.alloc(), null, ch, "forbidden"));
            }
        }
    }

    /** Closes with 4001 (or the exception's close code): a missing, invalid or expired token. */
    private void refuse(UnauthorizedException e) {
        info.recordError(e.code().wire() + ": " + e.getMessage());
        server.badInput(id(), e);
        close(e.closeCode(), e.getMessage());
    }

    @Override
    public void write(ByteBuf frame, int messages) {
        if (!channel.isActive() || info.state != ConnectionState.CONNECTED) {
            frame.release();
            return;
        }
        info.messagesOut += messages;
        send(frame);
    }

    /**
     * A fan-out frame: without compression the connection sends the frame's wire bytes, framed once
     * for every connection, past the per-connection frame encoder.
     */
    @Override
    public void write(SharedFrame frame, int messages) {
        ChannelHandlerContext at = wireContext;
        if (at == null) {
            write(frame.text().retainedDuplicate(), messages);
            return;
        }
        if (!channel.isActive() || info.state != ConnectionState.CONNECTED) {
            return;
        }
        info.messagesOut += messages;
        info.framesOut++;
        info.bytesOut += frame.text().readableBytes();
        at.writeAndFlush(frame.wire(ServerFrames.WEBSOCKET_TEXT).retainedDuplicate(), at.voidPromise());
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (channel.isWritable() && session != null) {
            session.writable();
        }
        super.channelWritabilityChanged(ctx);
    }

    /** Writes one text frame and flushes it. */
    private void send(ByteBuf json) {
        info.framesOut++;
        info.bytesOut += json.readableBytes();
        channel.writeAndFlush(new TextWebSocketFrame(json), channel.voidPromise());
    }

    /**
     * Writes an answer to the client's own frame (a reply, an error, a pong). Answers bypass the
     * core's backlog, so a client that keeps asking and never reads could otherwise grow the
     * outbound buffer without end: past the connection's outbound bound it is closed with 1008.
     */
    private void reply(ByteBuf json) {
        if (!withinOutboundBound(json.readableBytes())) {
            json.release();
            return;
        }
        send(json);
    }

    /** Whether {@code bytes} more fit in the outbound buffer; closes the connection (1008) if not. */
    private boolean withinOutboundBound(int bytes) {
        if (channel.isWritable()) {
            return true;
        }
        io.netty.channel.ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        long pending = out == null ? 0 : out.totalPendingWriteBytes();
        if (pending + bytes <= server.outboundBoundBytes()) {
            return true;
        }
        if (info.state == ConnectionState.CONNECTED) {
            server.badInput(id(), new HeraldException(ErrorCode.RATE_LIMITED, "answers not read: " + pending
                    + " bytes waiting for the client, the bound is " + server.outboundBoundBytes()));
            info.recordError("policy: answers not read");
            close(CloseCodes.POLICY_VIOLATION, "not reading");
        }
        return false;
    }

    private void releaseUser() {
        if (claimedUser != null) {
            server.connections().releaseUser(claimedUser);
            claimedUser = null;
        }
    }

    /**
     * Whether another client frame fits in the inbound rate: a token bucket of {@code inboundRate}
     * per second with a burst of one second's worth. Every frame counts, control frames included
     * (each ping asks for a pong). A client that keeps sending through a full second of rejections
     * is abusive and closed with 1008. A rejected data frame is answered with {@code rate_limited};
     * a rejected control frame is dropped without an answer.
     */
    private boolean withinRate(boolean answer) {
        long now = server.clock().nanoTime();
        int rate = server.config().inboundRate();
        if (rateRefillNanos == 0) {
            rateTokens = rate;
        } else {
            rateTokens = Math.min(rate, rateTokens + (now - rateRefillNanos) * rate / 1e9);
        }
        rateRefillNanos = now;
        if (rateTokens >= 1) {
            rateTokens -= 1;
            rateStrikes = 0;
            return true;
        }
        if (++rateStrikes > rate) {
            server.badInput(id(), "inbound_flood", new HeraldException(ErrorCode.RATE_LIMITED, "more than " + rate
                    + " frames rejected in a row for the rate limit; closing with 1008"));
            close(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
        } else if (answer) {
            reject(null, new HeraldException(ErrorCode.RATE_LIMITED,
                    "too many messages: at most " + rate + " per second"));
        } else {
            server.badInput(id(), "control_flood", new HeraldException(ErrorCode.RATE_LIMITED, "control frame over the rate limit"));
        }
        return false;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (info.state == ConnectionState.DISCONNECTING && !(frame instanceof CloseWebSocketFrame)) {
            return; // closing: only the client's close frame matters now
        }
        // any frame is a sign of life, even one refused for the rate
        liveness.seen(server.clock().nanoTime());
        info.lastSeen = server.clock().epochMillis();
        info.bytesIn += frame.content().readableBytes();
        boolean data = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
        if (!(frame instanceof CloseWebSocketFrame) && !withinRate(data)) {
            return;
        }
        if (frame instanceof TextWebSocketFrame) {
            info.messagesIn++;
            onText(frame.content());
        } else if (frame instanceof PingWebSocketFrame) {
            if (withinOutboundBound(frame.content().readableBytes() + 2)) {
                info.framesOut++;
                channel.writeAndFlush(new PongWebSocketFrame(frame.content().retain()), channel.voidPromise());
            }
        } else if (frame instanceof CloseWebSocketFrame close) {
            onClientClose(close);
        } else if (frame instanceof BinaryWebSocketFrame) {
            info.messagesIn++;
            reject(null, HeraldException.badRequest("binary frames are not supported; send JSON text frames"));
        }
        // PongWebSocketFrame: already counted as alive
    }

    private void onText(ByteBuf content) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree((java.io.InputStream) new ByteBufInputStream(content));
        } catch (JsonProcessingException e) {
            reject(null, HeraldException.badRequest("malformed JSON: " + e.getOriginalMessage()));
            return;
        } catch (IOException e) {
            reject(null, HeraldException.badRequest("unreadable frame: " + e.getMessage()));
            return;
        }
        if (root == null || !root.isObject()) {
            reject(null, HeraldException.badRequest("a frame must be a JSON object with a 'type'"));
            return;
        }
        JsonNode id = root.get("id");
        if (id != null && !id.isNull() && !id.isTextual() && !id.isIntegralNumber()) {
            reject(null, HeraldException.badRequest("'id' must be a string or an integer"));
            return;
        }
        try {
            dispatch(id, root);
        } catch (HeraldException e) {
            reject(id, e);
        } catch (RuntimeException e) {
            server.unexpected(log, "connection " + id() + ": command", e);
            reject(id, HeraldException.internal("internal error", e));
        }
    }

    private void dispatch(JsonNode id, JsonNode root) {
        String type = MessageJson.text(root, "type", true);
        if (permissions == null && !type.equals("connect") && !type.equals("ping") && !type.equals("pong")) {
            throw new HeraldException(ErrorCode.UNAUTHORIZED,
                    "authenticate first: send {\"type\":\"connect\",\"token\":\"…\"}");
        }
        switch (type) {
            case "connect" -> authenticate(id, MessageJson.text(root, "token", false));
            case "subscribe" -> subscribe(id, MessageJson.text(root, "channel", true),
                    ClientCommands.events(root), ClientCommands.since(root));
            case "unsubscribe" -> {
                String ch = MessageJson.text(root, "channel", true);
                session.unsubscribe(ch);
                reply(ServerFrames.unsubscribed(channel.alloc(), id, ch, null));
            }
            case "publish" -> publish(id, root);
            case "ping" -> reply(ServerFrames.pong(channel.alloc(), id));
            case "pong" -> {
                // liveness only
            }
            default -> throw HeraldException.badRequest("unknown type '" + abbreviate(type)
                    + "'; expected connect, subscribe, unsubscribe, publish, ping or pong");
        }
    }

    private void subscribe(JsonNode id, String ch, Optional<java.util.Set<String>> events, StreamPosition since) {
        permissions.checkSubscribe(io.herald.ChannelNames.validate(ch));
        java.util.Set<String> current = session.channels();
        int max = server.config().maxSubscriptions();
        if (current.size() >= max && !current.contains(ch)) {
            throw new HeraldException(ErrorCode.RATE_LIMITED, "too many subscriptions: at most " + max
                    + " channels per connection (limits.maxSubscriptions)");
        }
        StreamPosition position = session.subscribe(ch, events);
        // Without history (a later step), recovery succeeds only when nothing was missed.
        boolean recovered = since != null && since.epoch().equals(position.epoch()) && since.offset() == position.offset();
        reply(ServerFrames.subscribed(channel.alloc(), id, ch, position, recovered));
    }

    private void publish(JsonNode id, JsonNode root) {
        Message m = MessageJson.read(root, null);
        permissions.checkPublish(m.channel());
        server.herald().publish(m).whenComplete((p, err) -> channel.eventLoop().execute(() -> {
            if (err != null) {
                reject(id, err instanceof HeraldException he ? he : HeraldException.internal("publish failed", err));
            } else {
                reply(ServerFrames.published(channel.alloc(), id, p.channel(), p.offset()));
            }
        }));
    }

    /** Answers a bad command with an {@code error} frame; the connection stays open. */
    private void reject(JsonNode id, HeraldException e) {
        info.recordError(e.code().wire() + ": " + e.getMessage());
        server.badInput(id(), e);
        if (channel.isActive() && info.state == ConnectionState.CONNECTED) {
            reply(ServerFrames.error(channel.alloc(), id, e.code(), e.getMessage()));
        }
    }

    /**
     * Every heartbeat interval: a ping when nothing waits for the client, nothing while bytes wait
     * (their progress is the sign of life; see {@link Liveness}), 4002 after the timeout.
     */
    private void heartbeat() {
        if (info.state != ConnectionState.CONNECTED) {
            return;
        }
        long now = server.clock().nanoTime();
        switch (liveness.tick(channel.unsafe().outboundBuffer(), now)) {
            case TIMED_OUT -> {
                log.info("connection {}: heartbeat timeout, no frame from the client and no bytes taken by it for {} ms",
                        id(), TimeUnit.NANOSECONDS.toMillis(now - liveness.lastSeenNanos()));
                server.metrics().heartbeatTimeout();
                close(CloseCodes.HEARTBEAT_TIMEOUT, "heartbeat timeout");
            }
            case PING -> {
                info.framesOut++;
                channel.writeAndFlush(new TextWebSocketFrame(ServerFrames.ping()), channel.voidPromise());
            }
            case BUSY -> {
                // a ping would wait behind the bytes already queued
            }
        }
    }

    /** Sends a close frame with {@code code} and closes the connection once it is written. */
    @Override
    public void close(int code, String reason) {
        if (info.state == ConnectionState.DISCONNECTING || info.state == ConnectionState.DISCONNECTED) {
            return;
        }
        info.state = ConnectionState.DISCONNECTING;
        closeCode = code;
        if (heartbeat != null) {
            heartbeat.cancel(false); // the close is under way: no more pings, no second timeout
        }
        if (channel.isActive()) {
            // RFC 6455 §7.1.1: send our close, then wait for the client's. Closing the socket at once
            // while the client is still sending would reset the connection and lose the close frame,
            // so only our side is shut down; the client's close (or EOF) ends the connection.
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(f -> {
                if (f.isSuccess() && channel instanceof DuplexChannel duplex) {
                    duplex.shutdownOutput();
                } else {
                    channel.close();
                }
            });
            // A client that stopped reading never lets the close frame out: cut it after a grace period,
            // extended while the client still takes bytes (a slow reader gets to see its close code).
            long started = server.clock().nanoTime();
            liveness.progressed(channel.unsafe().outboundBuffer(), started);
            channel.eventLoop().schedule(() -> cutIfStalled(started), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void cutIfStalled(long closeStartedNanos) {
        if (!channel.isActive()) {
            return;
        }
        long now = server.clock().nanoTime();
        long before = liveness.lastSeenNanos();
        boolean waiting = liveness.progressed(channel.unsafe().outboundBuffer(), now);
        boolean moving = waiting && liveness.lastSeenNanos() != before;
        if (moving && now - closeStartedNanos < server.config().heartbeatTimeout().toNanos()) {
            channel.eventLoop().schedule(() -> cutIfStalled(closeStartedNanos), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        log.debug("connection {}: close frame not delivered within {} ms, closing the socket", id(),
                TimeUnit.NANOSECONDS.toMillis(now - closeStartedNanos));
        channel.close();
    }

    /** Graceful shutdown of this connection: {@code shutdown} frame, then close 1001. */
    void shutdown() {
        if (info.state != ConnectionState.CONNECTED) {
            channel.close();
            return;
        }
        long after = server.config().reconnectAfter().toMillis();
        long jitter = server.config().reconnectJitter().toMillis();
        long reconnectAfterMs = after + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
        if (session != null) {
            session.flush();
        }
        send(ServerFrames.shutdown(channel.alloc(), reconnectAfterMs));
        close(CloseCodes.GOING_AWAY, "server shutdown");
    }

    private void onClientClose(CloseWebSocketFrame close) {
        if (info.state == ConnectionState.DISCONNECTING) {
            channel.close(); // the client answered our close
            return;
        }
        info.state = ConnectionState.DISCONNECTING;
        closeCode = close.statusCode();
        channel.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? CloseCodes.NORMAL : close.statusCode(), ""))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (authDeadline != null) {
            authDeadline.cancel(false);
        }
        releaseUser();
        if (session != null) {
            session.close();
        }
        if (server.connections().find(id()).isPresent()) {
            server.metrics().closed(closeCode);
        }
        server.connections().remove(this);
        if (info.state != ConnectionState.ERROR) {
            info.state = ConnectionState.DISCONNECTED;
        }
        log.info("connection {} closed (code {}) after {} ms: {} messages in, {} out, {} bytes in, {} out",
                id(), closeCode, TimeUnit.NANOSECONDS.toMillis(server.clock().nanoTime() - connectedNanos),
                info.messagesIn, info.messagesOut, info.bytesIn, info.bytesOut);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PrematureChannelClosureException) {
            // the client went away in the middle of a fragmented message: an ordinary disconnect
            log.debug("connection {}: closed in the middle of a message", id());
            return;
        }
        if (cause instanceof FrameGuard.Violation v) {
            info.recordError("protocol: " + v.getMessage());
            server.badInput(id(), HeraldException.badRequest(v.getMessage()));
            close(v.code, v.getMessage());
            return;
        }
        if (cause instanceof TooLongFrameException) {
            info.recordError("too_large: " + cause.getMessage());
            server.badInput(id(), HeraldException.tooLarge(cause.getMessage()));
            close(CloseCodes.MESSAGE_TOO_BIG, "message too big");
        } else if (cause instanceof CorruptedWebSocketFrameException) {
            // the decoder has already answered with the close code the violation calls for
            info.recordError("protocol: " + cause.getMessage());
            server.badInput(id(), HeraldException.badRequest(cause.getMessage()));
        } else if (cause instanceof IOException) {
            info.state = ConnectionState.ERROR;
            info.recordError("io: " + cause.getMessage());
            log.debug("connection {}: {}", id(), cause.toString());
            ctx.close();
        } else {
            info.state = ConnectionState.ERROR;
            info.recordError("internal: " + cause);
            server.unexpected(log, "connection " + id(), cause);
            closeCode = CloseCodes.INTERNAL_ERROR;
            if (channel.isActive()) {
                channel.writeAndFlush(new CloseWebSocketFrame(CloseCodes.INTERNAL_ERROR, "internal error"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
