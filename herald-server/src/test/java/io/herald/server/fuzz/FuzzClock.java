package io.herald.server.fuzz;

import io.herald.HeraldClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told, so an input replays the same way. Every connection starts at
 * the same instant. Thread-safe, though the harness uses it from one thread.
 */
final class FuzzClock implements HeraldClock {
    /** 2026-01-01T00:00:00Z. */
    static final long START_EPOCH_MILLIS = 1_767_225_600_000L;
    /** Not 0: the inbound rate limiter reads 0 as "never refilled". */
    private static final long START_NANOS = 1_000_000_000L;

    private final AtomicLong elapsedNanos = new AtomicLong();

    void advance(Duration d) {
        elapsedNanos.addAndGet(d.toNanos());
    }

    @Override
    public long nanoTime() {
        return START_NANOS + elapsedNanos.get();
    }

    @Override
    public long epochMillis() {
        return START_EPOCH_MILLIS + elapsedNanos.get() / 1_000_000;
    }

    @Override
    public String toString() {
        return "FuzzClock{elapsed=" + Duration.ofNanos(elapsedNanos.get()) + '}';
    }
}
