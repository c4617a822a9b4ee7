package io.herald.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code loadgen report}: the Markdown report and SVG chart of a {@code fanout} or
 * {@code channels} run, from the drivers' JSON results (files, or directories holding them);
 * results of other scenarios are left out.
 *
 * <pre>
 * report --scenario fanout --machine machine.txt --out report.md --svg fanout.svg results/*.json
 * </pre>
 */
final class FanoutReport {
    /** Servers in report order; others follow alphabetically. */
    private static final List<String> ORDER = List.of("raw-netty", "herald-passthrough", "herald-defaults", "node-ws", "socketio", "spring");
    static final String RAW = "raw-netty";
    static final String NODE = "node-ws";

    private FanoutReport() {
    }

    static void run(List<String> args) throws IOException {
        List<String> files = new ArrayList<>();
        List<String> opts = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).startsWith("--")) {
                opts.add(args.get(i));
                opts.add(args.get(++i));
            } else {
                files.add(args.get(i));
            }
        }
        Options o = new Options(opts);
        String scenario = o.string("scenario", o.string("title", "fanout"));
        List<ServerRun> runs = new ArrayList<>();
        for (String f : files) {
            Path p = Path.of(f);
            try (Stream<Path> s = Files.isDirectory(p) ? Files.list(p) : Stream.of(p)) {
                for (Path json : s.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
                    JsonNode n = ProcessFiles.JSON.readTree(json.toFile());
                    if (scenario.equals(n.path("scenario").asText())) {
                        runs.add(ServerRun.of(n));
                    }
                }
            }
        }
        runs.sort(Comparator.comparingInt((ServerRun r) -> rank(r.name())).thenComparing(ServerRun::name));
        String machine = o.string("machine", "").isEmpty() ? "" : Files.readString(Path.of(o.string("machine", "")));
        Path svg = Path.of(o.string("svg", scenario + ".svg"));
        long subscribers = runs.stream().mapToLong(ServerRun::open).max().orElse(0);
        int channels = channels(runs);
        Files.writeString(svg, SvgChart.render(scenario + ": " + subscribers + " subscribers"
                + (channels > 1 ? " over " + channels + " channels" : "") + ", 100-byte messages",
                runs.stream().map(ServerRun::series).toList()));
        Files.writeString(Path.of(o.required("out")), FanoutMarkdown.render(scenario, runs, machine, svg.getFileName().toString()));
    }

    /** The channels the runs spread their subscribers over (the most, should they differ). */
    static int channels(List<ServerRun> runs) {
        return runs.stream().mapToInt(ServerRun::channels).max().orElse(1);
    }

    private static int rank(String name) {
        String base = name.contains("#") ? name.substring(0, name.indexOf('#')) : name;
        int i = ORDER.indexOf(base);
        return i < 0 ? ORDER.size() : i;
    }

    /** One server's result: its judged steps (warm-up left out) and the connection counts. */
    record ServerRun(String name, String args, long requested, long open, long failed, double connectSeconds,
                     long clockSkewMicros, long closedAfterOpen, String error, List<JsonNode> steps,
                     String channel, int channels, int publishConnections, long subscribersPerChannelMin, long subscribersPerChannelMax) {
        static ServerRun of(JsonNode n) {
            List<JsonNode> steps = new ArrayList<>();
            n.path("steps").forEach(s -> {
                if (!s.path("warmup").asBoolean()) {
                    steps.add(s);
                }
            });
            return new ServerRun(n.path("server").asText(), n.path("serverArgs").asText(), n.path("requested").asLong(),
                    n.path("open").asLong(), n.path("failed").asLong(), n.path("connectSeconds").asDouble(),
                    n.path("clockSkewMicros").asLong(), n.path("closedAfterOpen").asLong(), n.path("error").asText(""), steps,
                    n.path("channel").asText(), n.path("channels").asInt(1), n.path("publishConnections").asInt(1),
                    n.path("subscribersPerChannelMin").asLong(n.path("open").asLong()),
                    n.path("subscribersPerChannelMax").asLong(n.path("open").asLong()));
        }

        String base() {
            return name.contains("#") ? name.substring(0, name.indexOf('#')) : name;
        }

        /** The sustained step with the most deliveries per second. */
        Optional<JsonNode> best() {
            return steps.stream().filter(s -> s.path("sustained").asBoolean())
                    .max(Comparator.comparingDouble(s -> s.path("deliveriesPerSecond").asDouble()));
        }

        Optional<JsonNode> atRate(double rate) {
            return steps.stream().filter(s -> s.path("rate").asDouble() == rate).findFirst();
        }

        SvgChart.Series series() {
            List<double[]> pts = new ArrayList<>();
            List<Boolean> ok = new ArrayList<>();
            for (JsonNode s : steps) {
                pts.add(new double[] {s.path("rate").asDouble(), Math.max(1, s.path("deliveriesPerSecond").asDouble()),
                        Math.max(0.1, s.path("p99Millis").asDouble())});
                ok.add(s.path("sustained").asBoolean());
            }
            return new SvgChart.Series(name, pts, ok);
        }
    }

    static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
