package io.herald.server.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP requests whose answer waits for the engine (publishes waiting for their commit), counted so
 * a shutdown can let their answers go out before it closes the connections. Thread-safe: requests
 * begin on event loops and end on whatever thread the engine completes them; only the last one to
 * end takes the lock, to wake a waiting shutdown.
 */
final class PendingAnswers {
    private final AtomicInteger pending = new AtomicInteger();

    void begin() {
        pending.incrementAndGet();
    }

    void end() {
        if (pending.decrementAndGet() == 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    int pending() {
        return pending.get();
    }

    /** Waits until no answer is pending, at most {@code timeoutMillis}; returns how many still are. */
    synchronized int awaitNone(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean interrupted = false;
        while (pending.get() > 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return pending.get();
    }
}
