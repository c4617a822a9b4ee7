package io.herald.server.internal;

import io.herald.server.ConnectionStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import java.util.Set;

/**
 * What the registry knows of one connection (SPEC §7). Written only on the connection's event loop;
 * read from any thread by the API: the state and texts are volatile; the traffic counters, bumped
 * for every frame, are written and read with opaque access (atomic and soon visible, without the
 * fence a volatile write costs on every delivery), so a reader may trail them by a frame.
 */
public final class ConnectionInfo {
    private final String id;
    private final long connectedAt;
    private final String remoteIp;
    private final String userAgent;
    volatile ConnectionState state = ConnectionState.CONNECTING;
    volatile String user;
    private long messagesIn;
    private long messagesOut;
    private long framesOut;
    private long bytesIn;
    private long bytesOut;
    private long lagEvents;
    private long skipped;
    volatile long errors;
    volatile String lastError;
    volatile long lastSeen;

    private static final VarHandle MESSAGES_IN = counter("messagesIn");
    private static final VarHandle MESSAGES_OUT = counter("messagesOut");
    private static final VarHandle FRAMES_OUT = counter("framesOut");
    private static final VarHandle BYTES_IN = counter("bytesIn");
    private static final VarHandle BYTES_OUT = counter("bytesOut");
    private static final VarHandle LAG_EVENTS = counter("lagEvents");
    private static final VarHandle SKIPPED = counter("skipped");

    private static VarHandle counter(String field) {
        try {
            return MethodHandles.lookup().findVarHandle(ConnectionInfo.class, field, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    ConnectionInfo(String id, long connectedAt, String remoteIp, String userAgent) {
        this.id = id;
        this.connectedAt = connectedAt;
        this.remoteIp = remoteIp;
        this.userAgent = userAgent;
        this.lastSeen = connectedAt;
    }

    public String id() {
        return id;
    }

    public ConnectionState state() {
        return state;
    }

    /** Epoch milliseconds. */
    public long connectedAt() {
        return connectedAt;
    }

    public String remoteIp() {
        return remoteIp;
    }

    public String userAgent() {
        return userAgent;
    }

    public String user() {
        return user;
    }

    public long messagesIn() {
        return (long) MESSAGES_IN.getOpaque(this);
    }

    public long messagesOut() {
        return (long) MESSAGES_OUT.getOpaque(this);
    }

    public long framesOut() {
        return (long) FRAMES_OUT.getOpaque(this);
    }

    public long bytesIn() {
        return (long) BYTES_IN.getOpaque(this);
    }

    public long bytesOut() {
        return (long) BYTES_OUT.getOpaque(this);
    }

    public long errors() {
        return errors;
    }

    public String lastError() {
        return lastError;
    }

    /** Epoch milliseconds of the last client frame. */
    public long lastSeen() {
        return lastSeen;
    }

    /** {@code lag} frames sent: each told the client that messages were dropped for it. */
    public long lagEvents() {
        return (long) LAG_EVENTS.getOpaque(this);
    }

    /** Messages dropped for this client, as its {@code lag} frames counted them. */
    public long skipped() {
        return (long) SKIPPED.getOpaque(this);
    }

    /** A frame of {@code bytes} went out, carrying {@code messages} messages (0 for a control frame). On the loop. */
    void sent(int messages, long bytes) {
        if (messages > 0) {
            MESSAGES_OUT.setOpaque(this, (long) MESSAGES_OUT.getOpaque(this) + messages);
        }
        FRAMES_OUT.setOpaque(this, (long) FRAMES_OUT.getOpaque(this) + 1);
        BYTES_OUT.setOpaque(this, (long) BYTES_OUT.getOpaque(this) + bytes);
    }

    /** A frame of {@code bytes} came in. On the loop. */
    void received(long bytes) {
        BYTES_IN.setOpaque(this, (long) BYTES_IN.getOpaque(this) + bytes);
    }

    /** A client message was taken (within the inbound rate). On the loop. */
    void receivedMessage() {
        MESSAGES_IN.setOpaque(this, (long) MESSAGES_IN.getOpaque(this) + 1);
    }

    /** A {@code lag} frame told the client {@code n} messages were dropped for it. On the loop. */
    void lagged(long n) {
        LAG_EVENTS.setOpaque(this, (long) LAG_EVENTS.getOpaque(this) + 1);
        SKIPPED.setOpaque(this, (long) SKIPPED.getOpaque(this) + n);
    }

    /**
     * A consistent-enough copy for the API, with the subscriptions the core holds now, the messages
     * waiting in its backlogs and the bytes waiting in the socket's outbound buffer.
     */
    public ConnectionStats snapshot(Set<String> subscriptions, long backlogMessages, long pendingBytes) {
        return new ConnectionStats(id, state.wire(), connectedAt, remoteIp, userAgent, Optional.ofNullable(user),
                subscriptions, messagesIn(), messagesOut(), framesOut(), bytesIn(), bytesOut(), errors,
                Optional.ofNullable(lastError), lastSeen, backlogMessages, pendingBytes, lagEvents(), skipped());
    }

    void recordError(String error) {
        errors++;
        lastError = error;
    }
}
