package io.herald.server;

import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of one connection (SPEC §7). Times are epoch milliseconds; {@code state} is one of
 * {@code connecting, connected, disconnecting, disconnected, error}. Counters are read without
 * stopping the connection, so they may trail its traffic by a message.
 *
 * @param backlogMessages messages waiting in Herald's backlogs for this client (its socket did not
 *                        take them yet; coalesced and bounded, SPEC §3)
 * @param pendingBytes    bytes written but still in the socket's outbound buffer
 * @param lagEvents       {@code lag} frames sent to this client
 * @param skipped         messages dropped for this client, as its {@code lag} frames counted them
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
        long lastSeen,
        long backlogMessages,
        long pendingBytes,
        long lagEvents,
        long skipped) {
}
