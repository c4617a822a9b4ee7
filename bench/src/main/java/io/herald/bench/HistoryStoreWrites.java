package io.herald.bench;

import io.herald.Engines;
import io.herald.Herald;
import io.herald.Json;
import io.herald.Message;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the disk history store writes (issue 12): publishes through {@link Herald#publish} with
 * {@code Engines.disk(tmp, flushMillis)} at a fixed {@code rate} over {@code channels} channels
 * (~100-byte data, default history, no subscriber) for {@code seconds}, and prints the bytes the
 * process wrote (from {@code /proc/self/io}, Linux), the file's size at the end and the process's
 * CPU time per publish. Not a test: a probe of write amplification.
 *
 * <pre>
 * java -cp bench/target/herald-bench.jar io.herald.bench.HistoryStoreWrites [rate 5000] [channels 5000] [flushMillis 100] [seconds 15]
 * </pre>
 */
public final class HistoryStoreWrites {
    private HistoryStoreWrites() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int channels = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int flush = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        Path dir = Files.createTempDirectory("herald-history-writes");
        try {
            Herald herald = Herald.builder().engine(Engines.disk(dir, Duration.ofMillis(flush))).start();
            Object data = Map.of("progress", 42, "stage", "scanning", "detail", "x".repeat(48));
            List<Message> messages = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                messages.add(Message.builder("bench:ch-" + c, "progress").data(Json.toTree(data)).build());
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long written = writtenBytes();
            long cpu = os.getProcessCpuTime();
            long start = System.nanoTime();
            long n = 0;
            while (System.nanoTime() - start < seconds * 1_000_000_000L) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                while (n < due) {
                    herald.publish(messages.get((int) (n++ % channels)));
                }
                Thread.sleep(1);
            }
            written = writtenBytes() - written;
            cpu = os.getProcessCpuTime() - cpu;
            herald.close();
            System.out.printf("%,d publishes/s over %,d channels, flush %d ms, %d s: wrote %.1f MB (%.0f KB/s), file %.1f MB,"
                    + " %.1f µs CPU per publish%n", rate, channels, flush, seconds, written / 1e6, written / 1e3 / seconds,
                    Files.size(dir.resolve("history.mv.db")) / 1e6, cpu / 1e3 / n);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static long writtenBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("write_bytes")) {
                return Long.parseLong(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        return -1;
    }
}
