package io.herald.server;

import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of one connection (SPEC §7). Times are epoch milliseconds; {@code state} is one of
 * {@code connecting, connected, disconnecting, disconnected, error}. Counters are read without
 * stopping the connection, so they may trail its traffic by a message.
 */
public record ConnectionStats(
        String id,
        String state,
        long connectedAt,
        String remoteIp,
        String userAgent,
        Optional<String> user,
        Set<String> subscriptions,
        long messagesIn,
        long messagesOut,
        long framesOut,
        long bytesIn,
        long bytesOut,
        long errors,
        Optional<String> lastError,
        long lastSeen) {
}
