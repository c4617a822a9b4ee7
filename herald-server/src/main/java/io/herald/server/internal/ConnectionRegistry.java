package io.herald.server.internal;

import io.herald.server.ConnectionStats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every open client connection of this server (WebSocket, and SSE to come), by id, and the per-user counts. The connection
 * limits on all TCP connections (global, per IP) are {@link OpenSockets}'. Thread-safe.
 */
public final class ConnectionRegistry {
    private final ConcurrentHashMap<String, Connection> open = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final java.util.concurrent.atomic.LongAdder closedFramesOut = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder closedBytesOut = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder closedMessagesOut = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder closedErrors = new java.util.concurrent.atomic.LongAdder();

    /** Traffic of every connection since start, open and closed. */
    public record Totals(long framesOut, long bytesOut, long messagesOut, long errors) {
    }

    private final ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> perUser = new ConcurrentHashMap<>();

    void add(Connection session) {
        open.put(session.id(), session);
        total.incrementAndGet();
    }

    /** Counts a connection for {@code user} unless it already has {@code max}; returns whether it was counted. */
    boolean claimUser(String user, int max) {
        boolean[] claimed = {false};
        perUser.compute(user, (k, n) -> {
            java.util.concurrent.atomic.AtomicInteger c = n == null ? new java.util.concurrent.atomic.AtomicInteger() : n;
            if (c.get() < max) {
                c.incrementAndGet();
                claimed[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        return claimed[0];
    }

    void releaseUser(String user) {
        decrement(perUser, user);
    }

    private static void decrement(ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> counts, String key) {
        counts.computeIfPresent(key, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    void remove(Connection session) {
        if (open.remove(session.id(), session)) {
            ConnectionInfo i = session.info();
            closedFramesOut.add(i.framesOut());
            closedBytesOut.add(i.bytesOut());
            closedMessagesOut.add(i.messagesOut());
            closedErrors.add(i.errors);
        }
    }

    /** Sums over open connections plus what closed ones had; costs one pass over the open ones. */
    public Totals totals() {
        long frames = closedFramesOut.sum();
        long bytes = closedBytesOut.sum();
        long messages = closedMessagesOut.sum();
        long errors = closedErrors.sum();
        for (Connection s : open.values()) {
            ConnectionInfo i = s.info();
            frames += i.framesOut();
            bytes += i.bytesOut();
            messages += i.messagesOut();
            errors += i.errors;
        }
        return new Totals(frames, bytes, messages, errors);
    }

    /** Closes connection {@code id} with {@code code}; returns whether it was open. */
    public boolean close(String id, int code, String reason) {
        Connection s = open.get(id);
        if (s == null) {
            return false;
        }
        s.executor().execute(() -> s.close(code, reason));
        return true;
    }

    public int active() {
        return open.size();
    }

    /** Connections accepted since start. */
    public long total() {
        return total.get();
    }

    public Optional<ConnectionStats> find(String id) {
        Connection s = open.get(id);
        return s == null ? Optional.empty() : Optional.of(s.snapshot());
    }

    public List<ConnectionStats> snapshot() {
        List<ConnectionStats> all = new ArrayList<>(open.size());
        for (Connection s : open.values()) {
            all.add(s.snapshot());
        }
        return all;
    }

    Collection<Connection> sessions() {
        return open.values();
    }
}
