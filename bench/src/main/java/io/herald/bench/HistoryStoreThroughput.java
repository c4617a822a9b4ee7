package io.herald.bench;

import io.herald.Engine;
import io.herald.Engines;
import io.herald.Herald;
import io.herald.Message;
import io.herald.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Publishes/s through {@link Herald#publish} with the memory engine and with the disk engine
 * (issue 12): {@code threads} publishers, each keeping up to {@code inFlight} publishes
 * outstanding, over {@code channels} channels (default history: 100 messages, 5 min), ~100-byte
 * payloads, no subscribers. A publish counts once acknowledged: for the disk engine, once its
 * group commit was written and synced. Also reports the process's CPU time per acknowledged
 * publish, which a machine shared with other work distorts less than the rate. Not a test: run it
 * by hand and compare the two.
 *
 * <p>A disk publish is acknowledged at its commit, so each publisher's window must hold more than
 * a flush interval's worth of publishes, or the window, not the store, bounds the rate (at most
 * {@code threads × inFlight / flushInterval}). A publisher whose window is full waits until half
 * of it came back (one wake-up per half window, not one per publish).
 *
 * <pre>
 * bench/history-store.sh [seconds 10] [threads 4] [channels 100] [inFlight 1000] [flushMillis 100] [engines memory,disk]
 * </pre>
 */
public final class HistoryStoreThroughput {
    private HistoryStoreThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = arg(args, 0, 10);
        int threads = arg(args, 1, 4);
        int channels = arg(args, 2, 100);
        int inFlight = arg(args, 3, 1000);
        Duration flush = Duration.ofMillis(arg(args, 4, 100));
        List<String> engines = List.of((args.length > 5 ? args[5] : "memory,disk").split(","));
        Path dir = Files.createTempDirectory("herald-history-bench");
        try {
            System.out.printf("%d s per engine (after %d s warm-up), %d publisher threads x %d in flight, %d channels%n",
                    seconds, Math.max(2, seconds / 3), threads, inFlight, channels);
            double memory = 0;
            double disk = 0;
            if (engines.contains("memory")) {
                memory = run("memory", Engines.memory(), seconds, threads, channels, inFlight);
            }
            if (engines.contains("disk")) {
                disk = run("disk (flush " + flush.toMillis() + " ms)", Engines.disk(dir, flush), seconds, threads,
                        channels, inFlight);
                System.out.printf("file %s: %,d bytes%n", dir.resolve("history.mv.db"),
                        Files.size(dir.resolve("history.mv.db")));
            }
            if (memory > 0 && disk > 0) {
                System.out.printf("disk/memory: %.0f %%%n", 100 * disk / memory);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                System.err.println("could not delete " + dir + ": " + e);
            }
        }
    }

    private static double run(String name, Engine engine, int seconds, int threads, int channels, int inFlight)
            throws InterruptedException {
        Herald herald = Herald.builder().engine(engine).start();
        Object data = Map.of("progress", 42, "stage", "scanning", "detail", "x".repeat(48));
        List<Message> messages = java.util.stream.IntStream.range(0, channels)
                .mapToObj(c -> Message.builder("bench:ch-" + c, "progress").data(Json.toTree(data)).build()).toList();
        LongAdder acked = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread publisher = new Thread(() -> {
                Window window = new Window(inFlight);
                int i = thread;
                while (!stop.get()) {
                    window.acquire();
                    herald.publish(messages.get(i++ % channels)).whenComplete((p, e) -> {
                        (e == null ? acked : failed).increment();
                        window.release();
                    });
                }
                window.drain();
                done.countDown();
            }, "publisher-" + t);
            publisher.start();
        }
        Thread.sleep(Math.max(2, seconds / 3) * 1000L);
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        Map<String, Long> threadsStart = threadCpuNanos();
        long before = acked.sum();
        Thread.sleep(seconds * 1000L);
        long count = acked.sum() - before;
        double cpu = processCpuNanos() - cpuStart;
        Map<String, Long> threadsEnd = threadCpuNanos();
        double rate = count / ((System.nanoTime() - start) / 1e9);
        stop.set(true);
        done.await();
        herald.close();
        System.out.printf("%-22s %,12.0f publishes/s acknowledged, %.2f µs CPU each  (%d failed)%n", name, rate,
                cpu / 1e3 / count, failed.sum());
        StringBuilder split = new StringBuilder("  CPU per publish by thread (µs):");
        long javaThreads = 0;
        for (Map.Entry<String, Long> e : threadsEnd.entrySet()) {
            long used = e.getValue() - threadsStart.getOrDefault(e.getKey(), 0L);
            javaThreads += used;
            split.append(String.format(" %s %.2f,", e.getKey(), used / 1e3 / count));
        }
        System.out.println(split.append(String.format(" GC and JIT %.2f", (cpu - javaThreads) / 1e3 / count)));
        return rate;
    }

    /** CPU time of the live threads, summed by role: publishers, the store's committer and ack threads, the rest. */
    private static Map<String, Long> threadCpuNanos() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long nanos = mx.getThreadCpuTime(t.getThreadId());
            String name = t.getThreadName();
            String role = name.startsWith("publisher-") ? "publishers"
                    : name.startsWith("herald-history-") ? name.substring("herald-history-".length()) : "other";
            out.merge(role, Math.max(0, nanos), Long::sum);
        }
        return out;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Up to {@code size} publishes outstanding; a full window waits until half of it came back. */
    private static final class Window {
        private final int size;
        private final AtomicInteger outstanding = new AtomicInteger();
        private volatile Thread waiting;

        Window(int size) {
            this.size = size;
        }

        void acquire() {
            if (outstanding.incrementAndGet() < size) {
                return;
            }
            waiting = Thread.currentThread();
            while (outstanding.get() > size / 2) {
                LockSupport.park(this);
            }
            waiting = null;
        }

        void release() {
            if (outstanding.decrementAndGet() == size / 2) {
                Thread t = waiting;
                if (t != null) {
                    LockSupport.unpark(t);
                }
            }
        }

        void drain() {
            while (outstanding.get() > 0) {
                waiting = Thread.currentThread();
                LockSupport.parkNanos(this, 1_000_000);
            }
        }
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
