package io.herald.client.internal;

/**
 * The client's thread and time: runs its tasks one at a time, in order, now or after a delay, and
 * says what time it is. {@link ExecutorScheduler} runs on real threads; tests drive a manual one, so
 * backoff, jitter and dead-server detection are checked deterministically.
 */
public interface Scheduler {

    /** Monotonic time in nanoseconds. */
    long nanoTime();

    /** Runs {@code task} after the tasks already queued. */
    void execute(Runnable task);

    /** Runs {@code task} (as {@link #execute}) once {@code delayNanos} passed, unless cancelled first. */
    Timer schedule(Runnable task, long delayNanos);

    /** Whether the caller is running one of this scheduler's tasks now. */
    boolean inLoop();

    /** A scheduled task. */
    interface Timer {
        /** Keeps it from running, if it has not begun. Idempotent. */
        void cancel();
    }
}
