package io.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExecutorSchedulerTest {

    @Test
    void eachClientsTasksRunOneAtATimeInOrderOnASharedPool() throws InterruptedException {
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(4);
        try {
            int clients = 3;
            int tasks = 20_000;
            CountDownLatch done = new CountDownLatch(clients);
            List<List<Integer>> seen = new ArrayList<>();
            AtomicInteger overlaps = new AtomicInteger();
            List<Thread> submitters = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                ExecutorScheduler s = ExecutorScheduler.on(pool);
                List<Integer> order = new ArrayList<>(); // touched only by s's tasks: no lock, as the client does
                seen.add(order);
                AtomicBoolean running = new AtomicBoolean();
                submitters.add(new Thread(() -> {
                    for (int i = 0; i < tasks; i++) {
                        int n = i;
                        s.execute(() -> {
                            if (!running.compareAndSet(false, true)) {
                                overlaps.incrementAndGet();
                            }
                            assertThat(s.inLoop()).isTrue();
                            order.add(n);
                            running.set(false);
                            if (n == tasks - 1) {
                                done.countDown();
                            }
                        });
                    }
                }));
            }
            submitters.forEach(Thread::start);
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(overlaps).hasValue(0);
            for (List<Integer> order : seen) {
                assertThat(order).hasSize(tasks).isSorted();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCancelledTimerNeverRuns() throws InterruptedException {
        ExecutorScheduler s = ExecutorScheduler.ownThread("test-client");
        AtomicBoolean cancelledRan = new AtomicBoolean();
        CountDownLatch later = new CountDownLatch(1);
        s.execute(() -> {
            // cancelled on the client's thread, before the timer can fire (it needs that thread); due before the next
            s.schedule(() -> cancelledRan.set(true), 0).cancel();
            s.schedule(later::countDown, TimeUnit.MILLISECONDS.toNanos(50));
        });
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(cancelledRan).isFalse();
        assertThat(s.inLoop()).isFalse();
    }
}
