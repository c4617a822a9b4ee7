package io.herald.bench.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.herald.workloads.ScanWorkload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the {@code scan} benchmark ({@code WORKLOADS.md}); {@code bench/scan.sh} drives it,
 * starting one server per configuration.
 *
 * <pre>
 * # one configuration against a server on 127.0.0.1:18731, result as JSON
 * java -cp bench/target/herald-bench.jar io.herald.bench.scan.ScanBench run --name standard --port 18731 --out standard.json
 * # the Markdown report of several runs, the first named "passthrough" being the baseline
 * java -cp bench/target/herald-bench.jar io.herald.bench.scan.ScanBench report --out scan.md passthrough.json standard.json
 * </pre>
 *
 * <p>{@code run} options: {@code --name}, {@code --port} (required), {@code --out} (required),
 * {@code --host} (127.0.0.1), {@code --channel} (scan:1), {@code --clients} per deflate setting (5),
 * {@code --speed} (10), {@code --seed}, {@code --final-timeout} seconds after the replay (15),
 * {@code --server-args} and {@code --note} (copied into the report), {@code --server-pid} and
 * {@code --clock-ticks} (to read the server's CPU time from {@code /proc}). {@code report} exits
 * with 1 when a check failed.
 */
public final class ScanBench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ScanBench() {
    }

    /** Runs {@code run} or {@code report}; see the class comment. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("run") || args[0].equals("report"))) {
            System.err.println("usage: ScanBench run --name NAME --port PORT --out FILE.json [options]\n"
                    + "       ScanBench report --out FILE.md RUN.json...");
            System.exit(2);
        }
        List<String> files = new ArrayList<>();
        Map<String, String> options = parse(args, files);
        int status = args[0].equals("run") ? run(options) : report(options, files);
        System.exit(status);
    }

    private static int run(Map<String, String> o) throws Exception {
        ScanRun run = new ScanRun(o.getOrDefault("host", "127.0.0.1"), Integer.parseInt(required(o, "port")),
                o.getOrDefault("channel", "scan:1"), Integer.parseInt(o.getOrDefault("clients", "5")),
                Double.parseDouble(o.getOrDefault("speed", "10")),
                Long.parseLong(o.getOrDefault("seed", Long.toString(ScanWorkload.DEFAULT_SEED))),
                (long) (Double.parseDouble(o.getOrDefault("final-timeout", "15")) * 1000),
                new ServerCpu(Long.parseLong(o.getOrDefault("server-pid", "0")), Long.parseLong(o.getOrDefault("clock-ticks", "100"))));
        ConfigRun result = run.run(o.getOrDefault("name", "unnamed"), o.getOrDefault("server-args", ""), o.getOrDefault("note", ""));
        JSON.writeValue(Path.of(required(o, "out")).toFile(), result);
        long failing = result.clients().stream().filter(c -> !c.problems().isEmpty()).count();
        System.err.printf("scan: %s: %d clients, %d with problems, replay %.2f s, all final after %.2f s%n",
                result.name(), result.clients().size(), failing, result.replaySeconds(), result.drainSeconds());
        return 0;
    }

    private static int report(Map<String, String> o, List<String> files) throws IOException {
        List<ConfigRun> runs = new ArrayList<>();
        for (String f : files) {
            runs.add(JSON.readValue(Path.of(f).toFile(), ConfigRun.class));
        }
        ScanReport report = new ScanReport(runs, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        String md = report.markdown();
        Path out = Path.of(required(o, "out"));
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, md, StandardCharsets.UTF_8);
        System.out.print(md);
        return report.passed() ? 0 : 1;
    }

    /** {@code --key value} pairs into the map, anything else into {@code positional}. */
    private static Map<String, String> parse(String[] args, List<String> positional) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                options.put(args[i].substring(2), args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String key) {
        String v = options.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }
}
