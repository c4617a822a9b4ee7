package io.herald.server.internal;

import io.herald.server.ConnectionStats;
import java.util.Optional;
import java.util.Set;

/**
 * What the registry knows of one connection (SPEC §7). Written only on the connection's event loop;
 * read from any thread by the API, so fields are volatile and counters may lag by a message.
 */
public final class ConnectionInfo {
    private final String id;
    private final long connectedAt;
    private final String remoteIp;
    private final String userAgent;
    volatile ConnectionState state = ConnectionState.CONNECTING;
    volatile String user;
    volatile long messagesIn;
    volatile long messagesOut;
    volatile long framesOut;
    volatile long bytesIn;
    volatile long bytesOut;
    volatile long errors;
    volatile String lastError;
    volatile long lastSeen;

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
        return messagesIn;
    }

    public long messagesOut() {
        return messagesOut;
    }

    public long framesOut() {
        return framesOut;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
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

    /** A consistent-enough copy for the API, with the subscriptions the core holds now. */
    public ConnectionStats snapshot(Set<String> subscriptions) {
        return new ConnectionStats(id, state.wire(), connectedAt, remoteIp, userAgent, Optional.ofNullable(user),
                subscriptions, messagesIn, messagesOut, framesOut, bytesIn, bytesOut, errors,
                Optional.ofNullable(lastError), lastSeen);
    }

    void recordError(String error) {
        errors++;
        lastError = error;
    }
}
