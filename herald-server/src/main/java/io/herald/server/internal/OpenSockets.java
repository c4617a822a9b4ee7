package io.herald.server.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every accepted TCP connection, HTTP and WebSocket alike, from accept to close: what
 * {@code limits.maxConnections} and {@code limits.maxConnectionsPerIp} count. A connection is
 * admitted by one check-and-increment, so simultaneous arrivals cannot get past a limit together.
 * (The {@link ConnectionRegistry} holds the open WebSocket sessions.) Thread-safe.
 */
final class OpenSockets {
    /** The answer to {@link #claim}. */
    enum Claim {
        ADMITTED,
        /** {@code limits.maxConnections} reached */
        SERVER_FULL,
        /** {@code limits.maxConnectionsPerIp} reached for the address */
        ADDRESS_FULL
    }

    /** Slots taken, admitted connections plus arrivals being checked against their address's limit. */
    private final AtomicInteger reserved = new AtomicInteger();
    /** Admitted connections only, so that it never reads above the limit. */
    private final AtomicInteger admitted = new AtomicInteger();
    /** Open connections per remote address; an address leaves the map when its last one closes. */
    private final ConcurrentHashMap<String, Integer> perIp = new ConcurrentHashMap<>();

    /** Counts a connection from {@code ip} unless a limit is reached; only an admitted one is to be released. */
    Claim claim(String ip, int max, int maxPerIp) {
        int n;
        do {
            n = reserved.get();
            if (n >= max) {
                return Claim.SERVER_FULL;
            }
        } while (!reserved.compareAndSet(n, n + 1));
        boolean[] admitted = {false};
        perIp.compute(ip, (k, c) -> {
            int count = c == null ? 0 : c;
            if (count >= maxPerIp) {
                return c;
            }
            admitted[0] = true;
            return count + 1;
        });
        if (!admitted[0]) {
            reserved.decrementAndGet();
            return Claim.ADDRESS_FULL;
        }
        this.admitted.incrementAndGet();
        return Claim.ADMITTED;
    }

    void release(String ip) {
        perIp.computeIfPresent(ip, (k, c) -> c <= 1 ? null : c - 1);
        admitted.decrementAndGet();
        reserved.decrementAndGet();
    }

    /** Open connections. */
    int total() {
        return admitted.get();
    }

    /** Open connections from {@code ip}. */
    int fromAddress(String ip) {
        return perIp.getOrDefault(ip, 0);
    }
}
