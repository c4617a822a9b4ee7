package io.herald.client.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Queue;

/**
 * A {@link Scheduler} whose time moves only when a test says so: tasks run on the test's thread in
 * {@link #runPending()} and {@link #advance}, timers in the order they fall due. Not thread-safe.
 */
final class ManualScheduler implements Scheduler {
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final PriorityQueue<Due> timers = new PriorityQueue<>(Comparator.comparingLong((Due d) -> d.at).thenComparingLong(d -> d.seq));
    private long now = 1_000_000_000L;
    private long seq;
    private boolean running;

    private static final class Due implements Timer {
        final long at;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Due(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        Due d = new Due(now + Math.max(0, delayNanos), seq++, task);
        timers.add(d);
        return d;
    }

    @Override
    public boolean inLoop() {
        return running;
    }

    /** Runs the queued tasks, and those they queue, until none is left. */
    void runPending() {
        Runnable t;
        while ((t = tasks.poll()) != null) {
            running = true;
            try {
                t.run();
            } finally {
                running = false;
            }
        }
    }

    /** Moves time forward by {@code d}, running every timer that falls due on the way, in order. */
    void advance(Duration d) {
        long until = now + d.toNanos();
        runPending();
        while (!timers.isEmpty() && timers.peek().at <= until) {
            Due next = timers.poll();
            now = Math.max(now, next.at);
            if (!next.cancelled) {
                execute(next.task);
            }
            runPending();
        }
        now = until;
    }

    /** The timers not cancelled that are still due. */
    long pendingTimers() {
        return timers.stream().filter(t -> !t.cancelled).count();
    }
}
