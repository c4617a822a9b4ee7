package io.herald.server.internal;

import io.herald.ChannelNames;
import io.herald.ClientSession;
import io.herald.CloseCodes;
import io.herald.HeraldException;
import io.herald.Message;
import io.herald.Outlet;
import io.herald.Publication;
import io.herald.StreamPosition;
import io.herald.server.ConnectionStats;
import io.herald.server.internal.auth.Permissions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 300 lines on purpose: the connection's whole life (state machine, auth, heartbeat,
// subscriptions, shutdown, close timer) for every transport; split, its states would span classes.
/**
 * What Herald does with a client connection, whatever its transport: its life (the state machine
 * below), its place in the registry and the metrics, who it is ({@link ConnectionAuth}), its
 * subscriptions (the core's {@link ClientSession}), its heartbeat ({@link Liveness}) and its
 * graceful shutdown. A transport subclass speaks the wire format: it encodes the core's
 * {@link Outlet} events, answers, pings and the close.
 *
 * <pre>
 * CONNECTING ──open()──▶ CONNECTED ──close(code)──▶ DISCONNECTING ──socket closed──▶ DISCONNECTED
 *      └──────────────── socket closed (or an I/O error: ERROR) ─────────────────────────▲
 * </pre>
 *
 * <p>Confined to the connection's event loop, but for {@link #snapshot()}.
 */
abstract class ClientConnection implements Connection, Outlet {
    private static final Logger log = LoggerFactory.getLogger(ClientConnection.class);
    /** How long a close may wait to be written (while the client takes no bytes) before the socket is closed anyway. */
    static final long CLOSE_GRACE_MILLIS = 5_000;

    protected final ServerContext server;
    protected final Channel channel;
    protected final ConnectionInfo info;
    protected final ConnectionAuth auth;
    private final long connectedNanos;
    private final Liveness liveness;
    private ClientSession session;
    private ScheduledFuture<?> heartbeat;
    private int closeCode = -1;

    ClientConnection(ServerContext server, Channel channel, ConnectionInfo info) {
        this.server = server;
        this.channel = channel;
        this.info = info;
        this.auth = new ConnectionAuth(this, server);
        this.connectedNanos = server.clock().nanoTime();
        this.liveness = new Liveness(server.config().heartbeatTimeout().toNanos(), connectedNanos);
    }

    @Override
    public final String id() {
        return info.id();
    }

    @Override
    public final EventExecutor executor() {
        return channel.eventLoop();
    }

    @Override
    public final ConnectionInfo info() {
        return info;
    }

    @Override
    public final ConnectionStats snapshot() {
        ClientSession s = session;
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return info.snapshot(s == null ? Set.of() : s.channels(), s == null ? 0 : s.backlogMessages(),
                out == null ? 0 : out.totalPendingWriteBytes());
    }

    @Override
    public final Future<Void> closeFuture() {
        return channel.closeFuture();
    }

    final boolean connected() {
        return info.state == ConnectionState.CONNECTED;
    }

    /**
     * The transport is ready (the upgrade answered, the stream's headers sent): the connection
     * counts from now, its heartbeat starts, and it authenticates with {@code upgradeToken} (or
     * anonymously, or within the connect timeout). Returns whether it is authenticated now.
     */
    final boolean open(String upgradeToken) {
        info.state = ConnectionState.CONNECTED;
        session = server.herald().openSession(this);
        server.connections().add(this);
        server.metrics().opened();
        log.info("connection {} established from {} ({})", id(), info.remoteIp(), info.userAgent());
        long interval = server.config().heartbeatInterval().toNanos();
        heartbeat = executor().scheduleAtFixedRate(this::heartbeat, interval, interval, TimeUnit.NANOSECONDS);
        return auth.start(upgradeToken);
    }

    /** A frame or request came from the client: it is alive. */
    final void seen() {
        liveness.seen(server.clock().nanoTime());
        info.lastSeen = server.clock().epochMillis();
    }

    /**
     * Authenticates (again) with {@code token}. A renewal for the same user may allow less: every
     * subscription the new permissions do not allow ends, and the client is told with
     * {@link #unsubscribed} (reason {@code forbidden}). Returns the permissions, or empty when the
     * connection was refused and is closing.
     */
    final Optional<Permissions> authenticate(String token) {
        boolean renewal = auth.permissions().isPresent();
        Optional<Permissions> p = auth.authenticate(token);
        if (renewal && p.isPresent()) {
            for (String ch : session.channels()) {
                if (!p.get().canSubscribe(ch)) {
                    session.unsubscribe(ch);
                    unsubscribed(ch, "forbidden");
                }
            }
        }
        return p;
    }

    /**
     * Subscribes to {@code channel} if the permissions and {@code limits.maxSubscriptions} allow it,
     * recovering from {@code since} where the history allows (see {@link ClientSession#subscribe}).
     * The future completes on the loop.
     */
    final CompletableFuture<ClientSession.Subscribed> subscribe(String channel, Optional<Set<String>> events,
            Optional<StreamPosition> since) {
        auth.required().checkSubscribe(ChannelNames.validate(channel));
        Set<String> current = session.channels();
        int max = server.config().maxSubscriptions();
        if (current.size() >= max && !current.contains(channel)) {
            throw HeraldException.rateLimited("too many subscriptions: at most " + max
                    + " channels per connection (limits.maxSubscriptions)");
        }
        return session.subscribe(channel, events, since);
    }

    final void unsubscribe(String channel) {
        auth.required();
        session.unsubscribe(channel);
    }

    /** Publishes for the client if its permissions allow the channel; completes off the loop. */
    final CompletableFuture<Publication> publish(Message message) {
        auth.required().checkPublish(message.channel());
        return server.herald().publish(message);
    }

    @Override
    public final boolean isWritable() {
        return channel.isWritable();
    }

    /** The socket takes bytes again: what waited in the backlogs goes. */
    final void writable() {
        if (session != null) {
            session.writable();
        }
    }

    /**
     * Every heartbeat interval: a ping when nothing waits for the client, nothing while bytes wait
     * (their progress is the sign of life; see {@link Liveness}), 4002 after the timeout.
     */
    private void heartbeat() {
        if (!connected()) {
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
            case PING -> writePing();
            case BUSY -> {
                // a ping would wait behind the bytes already queued
            }
        }
    }

    /**
     * Whether bytes waiting for the client left the outbound buffer since the last look (also
     * counts as seen). The close timer of a transport uses it to wait for a slow reader.
     */
    final boolean takingBytes() {
        long before = liveness.lastSeenNanos();
        boolean waiting = liveness.progressed(channel.unsafe().outboundBuffer(), server.clock().nanoTime());
        return waiting && liveness.lastSeenNanos() != before;
    }

    /**
     * Closes the socket if the close notice was not delivered within {@link #CLOSE_GRACE_MILLIS}: a
     * client that stopped reading never lets it out. The grace is extended while the client still
     * takes bytes (a slow reader gets to see its close), up to the heartbeat timeout.
     */
    protected final void cutWhenStalled() {
        long started = server.clock().nanoTime();
        executor().schedule(() -> cutIfStalled(started), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void cutIfStalled(long closeStartedNanos) {
        if (!channel.isActive()) {
            return;
        }
        long elapsed = server.clock().nanoTime() - closeStartedNanos;
        if (takingBytes() && elapsed < server.config().heartbeatTimeout().toNanos()) {
            executor().schedule(() -> cutIfStalled(closeStartedNanos), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        log.debug("connection {}: close not delivered within {} ms, closing the socket", id(),
                TimeUnit.NANOSECONDS.toMillis(elapsed));
        channel.close();
    }

    /** Closes with {@code code}: the transport tells the client, then closes the socket. Idempotent. */
    @Override
    public final void close(int code, String reason) {
        if (info.state == ConnectionState.DISCONNECTING || info.state == ConnectionState.DISCONNECTED) {
            return;
        }
        info.state = ConnectionState.DISCONNECTING;
        closeCode = code;
        if (heartbeat != null) {
            heartbeat.cancel(false); // the close is under way: no more pings, no second timeout
        }
        if (channel.isActive()) {
            liveness.progressed(channel.unsafe().outboundBuffer(), server.clock().nanoTime());
            writeClose(code, reason);
        }
    }

    /** The client closed first with {@code code}: the transport answers, and the socket goes. */
    final void closedByClient(int code) {
        info.state = ConnectionState.DISCONNECTING;
        closeCode = code;
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
    }

    @Override
    public final void shutdown() {
        if (!connected()) {
            channel.close();
            return;
        }
        long after = server.config().reconnectAfter().toMillis();
        long jitter = server.config().reconnectJitter().toMillis();
        long reconnectAfterMs = after + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
        session.flush();
        writeShutdown(reconnectAfterMs);
        close(CloseCodes.GOING_AWAY, "server shutdown");
    }

    /** An unexpected failure: the connection is in error, and closes with {@code code}. */
    final void failed(String error, int code) {
        info.state = ConnectionState.ERROR;
        info.recordError(error);
        if (code >= 0) {
            closeCode = code;
        }
    }

    /** The socket closed: the subscriptions end, the registry and the metrics forget it. Once. */
    final void closed() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        auth.stop();
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
                info.messagesIn(), info.messagesOut(), info.bytesIn(), info.bytesOut());
    }

    /** Writes the transport's liveness probe. */
    protected abstract void writePing();

    /** Tells the client the server shuts down and when to come back (SPEC §11). */
    protected abstract void writeShutdown(long reconnectAfterMs);

    /** Tells the client the connection closes with {@code code}, then closes the socket (bounded in time). */
    protected abstract void writeClose(int code, String reason);
}
