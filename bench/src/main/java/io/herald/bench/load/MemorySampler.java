package io.herald.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples a server's memory on a thread of its own until closed: RSS ({@code VmRSS} of
 * {@code /proc/<pid>/status}) every {@code periodMillis}, and the JVM heap in use (the sum of
 * {@code jvm_memory_used_bytes{area="heap"}} of Herald's {@code /metrics}) every second sample;
 * a scrape costs the server a little CPU, so not more often. Thread-safe.
 */
final class MemorySampler implements AutoCloseable {
    /**
     * One sample; {@code heapBytes} is -1 when this sample did not scrape, or the scrape failed;
     * {@code tcpBytes}: the kernel's TCP buffer memory of the whole machine, -1 when unknown.
     */
    record Sample(long millis, long rssBytes, long heapBytes, long tcpBytes) {
    }

    /** The page size of {@code /proc/net/sockstat}'s {@code mem} (pages); {@code getconf PAGESIZE}. */
    static final long PAGE_BYTES = Long.getLong("herald.bench.pageSize", 4096);

    private final long pid;
    private final URI metrics;
    private final long periodMillis;
    private final long startNanos = System.nanoTime();
    private final List<Sample> samples = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Thread thread;
    private volatile boolean running = true;

    MemorySampler(long pid, URI metrics, long periodMillis) {
        this.pid = pid;
        this.metrics = metrics;
        this.periodMillis = periodMillis;
        this.thread = new Thread(this::loop, "memory-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        for (long n = 0; running; n++) {
            long heap = n % 2 == 0 && metrics != null ? heapBytes() : -1;
            Sample s = new Sample((System.nanoTime() - startNanos) / 1_000_000, pid > 0 ? ProcStat.rssBytes(pid) : -1, heap,
                    tcpBytes());
            synchronized (this) {
                samples.add(s);
            }
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * {@code mem} of the {@code TCP:} line of {@code /proc/net/sockstat} in bytes: socket buffers of
     * every TCP socket of the machine, both ends of loopback connections included. It holds what a
     * server queued for a slow client in the kernel, which its RSS does not show.
     */
    static long tcpBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/sockstat"))) {
                if (line.startsWith("TCP:")) {
                    String[] f = line.trim().split("\\s+");
                    for (int i = 1; i + 1 < f.length; i++) {
                        if (f[i].equals("mem")) {
                            return Long.parseLong(f[i + 1]) * PAGE_BYTES;
                        }
                    }
                }
            }
            return -1;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private long heapBytes() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? heapUsed(r.body()) : -1;
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * The samples of {@code metrics} (a Prometheus text) whose names start with one of
     * {@code prefixes}, name and labels as written, in order; empty when the scrape fails.
     */
    static java.util.Map<String, Double> scrape(URI metrics, List<String> prefixes) {
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (!line.startsWith("#") && prefixes.stream().anyMatch(line::startsWith)) {
                    int space = line.lastIndexOf(' ');
                    out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            out.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** The sum of the {@code jvm_memory_used_bytes} lines labelled {@code area="heap"} of a Prometheus text, or -1. */
    static long heapUsed(String prometheus) {
        double sum = 0;
        boolean found = false;
        for (String line : prometheus.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? (long) sum : -1;
    }

    /** Milliseconds since sampling began: the clock of {@link Sample#millis}. */
    long millisSinceStart() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
    }
}
