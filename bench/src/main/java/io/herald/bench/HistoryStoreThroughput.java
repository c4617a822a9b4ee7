package io.herald.bench;

import io.herald.Engine;
import io.herald.Engines;
import io.herald.Herald;
import io.herald.Message;
import io.herald.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Publishes/s through {@link Herald#publish} with the memory engine and with the disk engine
 * (issue 12): {@code threads} publishers, each keeping {@code inFlight} publishes outstanding,
 * over {@code channels} channels (default history: 100 messages, 5 min), ~100-byte payloads, no
 * subscribers. A publish counts once acknowledged: for the disk engine, once its group commit was
 * written and synced. Not a test: run it by hand and compare the two rates.
 *
 * <pre>
 * bench/history-store.sh [seconds 10] [threads 4] [channels 100] [inFlight 1000] [flushMillis 100]
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
        Path dir = Files.createTempDirectory("herald-history-bench");
        try {
            System.out.printf("%d s per engine (after %d s warm-up), %d publisher threads x %d in flight, %d channels%n",
                    seconds, Math.max(2, seconds / 3), threads, inFlight, channels);
            double memory = run("memory", Engines.memory(), seconds, threads, channels, inFlight);
            double disk = run("disk (flush " + flush.toMillis() + " ms)", Engines.disk(dir, flush), seconds, threads,
                    channels, inFlight);
            System.out.printf("disk/memory: %.0f %%  (file %s: %,d bytes)%n", 100 * disk / memory,
                    dir.resolve("history.mv.db"), Files.size(dir.resolve("history.mv.db")));
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
                Semaphore window = new Semaphore(inFlight);
                int i = thread;
                while (!stop.get()) {
                    window.acquireUninterruptibly();
                    herald.publish(messages.get(i++ % channels)).whenComplete((p, e) -> {
                        (e == null ? acked : failed).increment();
                        window.release();
                    });
                }
                window.acquireUninterruptibly(inFlight);
                done.countDown();
            }, "publisher-" + t);
            publisher.start();
        }
        Thread.sleep(Math.max(2, seconds / 3) * 1000L);
        long start = System.nanoTime();
        long before = acked.sum();
        Thread.sleep(seconds * 1000L);
        double rate = (acked.sum() - before) / ((System.nanoTime() - start) / 1e9);
        stop.set(true);
        done.await();
        herald.close();
        System.out.printf("%-22s %,12.0f publishes/s acknowledged  (%d failed)%n", name, rate, failed.sum());
        return rate;
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
