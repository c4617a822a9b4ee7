package io.herald.server.internal;

import io.herald.HeraldClock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a log line of each kind through at most once per interval and counts the ones it holds
 * back, so a flood of one kind of bad input cannot flood the log, nor hide the other kinds. Kinds
 * are a small fixed set (error codes, named reasons), never client data, so the map stays bounded.
 * Thread-safe.
 */
final class LogThrottle {
    /** {@link #admit}'s answer when the line is held back. */
    static final long HELD = -1;

    private final HeraldClock clock;
    private final long intervalNanos;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    LogThrottle(HeraldClock clock, long intervalNanos) {
        this.clock = clock;
        this.intervalNanos = intervalNanos;
    }

    /**
     * Whether a line of {@code kind} may be logged now: {@link #HELD} if not, otherwise how many
     * lines of this kind were held back since the last one let through.
     */
    long admit(String kind) {
        Slot slot = slots.computeIfAbsent(kind, k -> new Slot());
        long now = clock.nanoTime();
        long last = slot.lastLogged.get();
        if ((last == Long.MIN_VALUE || now - last >= intervalNanos) && slot.lastLogged.compareAndSet(last, now)) {
            return slot.held.getAndSet(0);
        }
        slot.held.incrementAndGet();
        return HELD;
    }

    private static final class Slot {
        final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong held = new AtomicLong();
    }
}
