package io.herald.server;

import io.herald.HeraldClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told; wall time starts at the system's. Thread-safe. */
public final class TestClock implements HeraldClock {
    /** Not 0: the inbound rate limiter reads 0 as "never refilled". */
    private static final long START_NANOS = 1_000_000_000L;
    private final long startEpochMillis = System.currentTimeMillis();
    private final AtomicLong elapsedNanos = new AtomicLong();

    public void advance(Duration d) {
        elapsedNanos.addAndGet(d.toNanos());
    }

    @Override
    public long nanoTime() {
        return START_NANOS + elapsedNanos.get();
    }

    @Override
    public long epochMillis() {
        return startEpochMillis + elapsedNanos.get() / 1_000_000;
    }
}
