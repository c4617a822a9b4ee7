package io.herald.client.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} on a {@link ScheduledExecutorService}: a thread of its own, or an executor
 * shared by many clients, where each client's tasks still run one at a time and in order (a serial
 * queue that one executor task at a time drains). Thread-safe.
 */
public final class ExecutorScheduler implements Scheduler {
    private static final Logger log = LoggerFactory.getLogger(ExecutorScheduler.class);
    /** Tasks run per turn on a shared executor before the drain yields to other clients. */
    private static final int TURN = 256;
    /** How long the thread of {@link #ownThread} outlives its last task: it ends by itself once the client is idle and closed. */
    private static final long OWN_THREAD_KEEP_ALIVE_SECONDS = 1;

    private final ScheduledExecutorService executor;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile Thread drainer;

    private ExecutorScheduler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /**
     * A scheduler with a daemon thread of its own named {@code name}. The thread stays while a timer
     * is pending (a connected client always has one) and ends a second after the last task, so a
     * closed client leaves no thread behind.
     */
    public static ExecutorScheduler ownThread(String name) {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        // with one thread, a timed-out worker only ends when no delayed task waits (ThreadPoolExecutor.getTask)
        e.setKeepAliveTime(OWN_THREAD_KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
        e.allowCoreThreadTimeOut(true);
        e.setRemoveOnCancelPolicy(true);
        return new ExecutorScheduler(e);
    }

    /** A scheduler on {@code shared}, which the application owns and shuts down. */
    public static ExecutorScheduler on(ScheduledExecutorService shared) {
        return new ExecutorScheduler(shared);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (draining.compareAndSet(false, true)) {
            submitDrain();
        }
    }

    private void submitDrain() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            log.warn("herald client: its executor is shut down; {} tasks dropped", tasks.size());
            tasks.clear();
            draining.set(false);
        }
    }

    private void drain() {
        drainer = Thread.currentThread();
        try {
            for (int i = 0; i < TURN; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                run(task);
            }
        } finally {
            drainer = null;
        }
        if (!tasks.isEmpty()) {
            submitDrain(); // more to do: yield the thread to other clients, keep the turn
            return;
        }
        draining.set(false);
        if (!tasks.isEmpty() && draining.compareAndSet(false, true)) {
            submitDrain(); // a task came in between the last poll and the release
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            log.error("herald client: a task failed", e);
        }
    }

    @Override
    public Timer schedule(Runnable task, long delayNanos) {
        AtomicBoolean cancelled = new AtomicBoolean();
        ScheduledFuture<?> future;
        try {
            future = executor.schedule(() -> execute(() -> {
                if (!cancelled.get()) {
                    task.run();
                }
            }), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.warn("herald client: its executor is shut down; a timer is dropped");
            return () -> { };
        }
        return () -> {
            cancelled.set(true);
            future.cancel(false);
        };
    }

    @Override
    public boolean inLoop() {
        return drainer == Thread.currentThread();
    }
}
