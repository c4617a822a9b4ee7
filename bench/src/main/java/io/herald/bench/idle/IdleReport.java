package io.herald.bench.idle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The report of the {@code idle} scenario ({@code bench/idle.sh}): reads the per-server JSON the
 * script wrote, fits heap, RSS and kernel memory against connections, and writes the Markdown
 * report and a {@code summary.json} with the slopes and the 1,000,000-connection projection.
 *
 * <pre>
 * java -cp herald-bench.jar io.herald.bench.idle.IdleReport --out report.md [--summary summary.json]
 *      [--machine machine.txt] [--command "bench/idle.sh …"] [--page-size 4096] [--nofile-hard 20000]
 *      [--nr-open N] [--file-max N] [--port-range "32768 60999"] [--tcp-mem "low pressure high"]
 *      [--object-sizes "TCP=2368,filp=192,…"] results-dir-or-files…
 * </pre>
 */
public final class IdleReport {
    /** Servers in report order; others follow alphabetically. */
    static final List<String> ORDER = List.of("herald", "raw-netty", "node-ws", "spring", "socketio");
    static final String HERALD = "herald";
    static final String RAW = "raw-netty";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private IdleReport() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> o = new HashMap<>();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                o.put(args[i].substring(2), args[++i]);
            } else {
                files.add(args[i]);
            }
        }
        if (!o.containsKey("out")) {
            System.err.println("usage: IdleReport --out report.md [options] results-dir-or-files…");
            System.exit(2);
        }
        List<IdleRun> runs = read(files);
        HostLimits host = host(o);
        String machine = o.containsKey("machine") ? Files.readString(Path.of(o.get("machine"))) : "";
        Files.writeString(Path.of(o.get("out")), IdleMarkdown.render(runs, host, machine, o.getOrDefault("command", "")));
        if (o.containsKey("summary")) {
            JSON.writeValue(Path.of(o.get("summary")).toFile(), summary(runs, host));
        }
    }

    static List<IdleRun> read(List<String> files) throws IOException {
        List<IdleRun> runs = new ArrayList<>();
        for (String f : files) {
            Path p = Path.of(f);
            try (Stream<Path> s = Files.isDirectory(p) ? Files.list(p) : Stream.of(p)) {
                for (Path json : s.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
                    JsonNode n = JSON.readTree(json.toFile());
                    if ("idle".equals(n.path("scenario").asText()) && !n.path("server").asText().isEmpty()) {
                        runs.add(IdleRun.of(n));
                    }
                }
            }
        }
        runs.sort(Comparator.comparingInt((IdleRun r) -> rank(r.name())).thenComparing(IdleRun::name));
        return runs;
    }

    private static int rank(String name) {
        int i = ORDER.indexOf(name);
        return i < 0 ? ORDER.size() : i;
    }

    static HostLimits host(Map<String, String> o) {
        String[] range = o.getOrDefault("port-range", "32768 60999").trim().split("\\s+");
        String tcpMem = o.getOrDefault("tcp-mem", "").trim();
        long[] mem = tcpMem.isEmpty() ? new long[0] : Stream.of(tcpMem.split("\\s+")).mapToLong(Long::parseLong).toArray();
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String kv : o.getOrDefault("object-sizes", "").split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                sizes.put(kv.substring(0, eq).trim(), Long.parseLong(kv.substring(eq + 1).trim()));
            }
        }
        return new HostLimits(number(o, "page-size", 4096), number(o, "nofile-hard", -1), number(o, "nr-open", -1),
                number(o, "file-max", -1), Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1]), mem, sizes);
    }

    private static long number(Map<String, String> o, String key, long fallback) {
        String v = o.getOrDefault(key, "").trim();
        return v.matches("\\d+") ? Long.parseLong(v) : fallback;
    }

    /** Heap slope of {@code run} ÷ raw Netty's, when both exist. */
    static Optional<Double> heapRatioToRaw(IdleRun run, List<IdleRun> runs) {
        Optional<IdleFit> raw = runs.stream().filter(r -> r.name().equals(RAW)).findFirst().flatMap(IdleRun::heapFit);
        Optional<IdleFit> own = run.heapFit();
        if (raw.isEmpty() || own.isEmpty() || raw.get().slope() <= 0) {
            return Optional.empty();
        }
        return Optional.of(own.get().slope() / raw.get().slope());
    }

    static ObjectNode summary(List<IdleRun> runs, HostLimits host) {
        ObjectNode root = JSON.createObjectNode();
        root.put("scenario", "idle-summary"); // not "idle": read() must not take it for a server's run
        ObjectNode h = root.putObject("host");
        h.put("pageSize", host.pageSize()).put("nofileHard", host.nofileHard()).put("nrOpen", host.nrOpen())
                .put("fileMax", host.fileMax()).put("portLow", host.portLow()).put("portHigh", host.portHigh())
                .put("minimumSocketBytes", host.minimumSocketBytes()).put("objectSizesMeasured", host.objectSizesMeasured());
        host.typicalSized().forEach(h.putArray("objectSizesTypical")::add);
        ObjectNode servers = root.putObject("servers");
        for (IdleRun r : runs) {
            ObjectNode s = servers.putObject(r.name());
            s.put("maxConnections", r.maxConnections());
            if (!r.error().isEmpty()) {
                s.put("error", r.error());
            }
            r.baseline().ifPresent(b -> s.put("baselineHeapBytes", b.heapBytes()).put("baselineRssBytes", b.rssBytes())
                    .put("baselineFds", b.fds()));
            r.heapFit().ifPresent(f -> fit(s.putObject("heapBytesPerConnection"), f));
            r.rssFit().ifPresent(f -> fit(s.putObject("rssBytesPerConnection"), f));
            r.tcpMemFit(host.pageSize()).ifPresent(f -> s.put("tcpBufferBytesPerServerSocket", f.slope() / 2));
            r.slabFit().ifPresent(f -> s.put("socketSlabBytesPerServerSocket", f.slope() / 2));
            heapRatioToRaw(r, runs).ifPresent(x -> s.put("heapSlopeRatioToRawNetty", x));
            IdleProjection.of(r, host, IdleProjection.ONE_MILLION).ifPresent(p -> {
                ObjectNode m = s.putObject("projection1M");
                m.put("heapBytes", p.heapBytes()).put("rssBytes", p.rssBytes()).put("kernelBytes", p.kernelBytes())
                        .put("totalBytes", p.totalBytes()).put("fdsNeeded", p.fdsNeeded())
                        .put("sourceAddresses", p.sourceAddresses()).put("sourceAddressesWidestRange", p.sourceAddressesWidest());
            });
        }
        return root;
    }

    private static void fit(ObjectNode n, IdleFit f) {
        n.put("slope", f.slope()).put("intercept", f.intercept()).put("r2", f.r2()).put("points", f.points());
    }
}
