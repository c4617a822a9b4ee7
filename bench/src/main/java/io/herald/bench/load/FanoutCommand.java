package io.herald.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code loadgen fanout}: the driver of one server's run. Waits for the subscriber processes,
 * publishes a warm-up step and then rising rates, each for {@code --step-seconds}, and after each
 * step waits up to {@code --drain-seconds} for every delivery. It stops after the first step that
 * is not sustained ({@link FanoutStep#sustained}). It samples the CPU time of the server, the
 * subscriber processes and itself around each step, and writes one JSON result.
 *
 * <pre>
 * --publish-url http://127.0.0.1:8080/api/publish  --channel fanout  --dir WORKDIR  --processes 1
 * --server-pid PID  --name herald-passthrough  --rates 1,2,5,10,20,50,100  --step-seconds 10
 * --drain-seconds 5  --warmup-seconds 5  --warmup-rate 5  --out result.json
 * </pre>
 */
final class FanoutCommand {
    private FanoutCommand() {
    }

    static void run(Options o) throws Exception {
        URI publishUrl = URI.create(o.required("publish-url"));
        String channel = o.string("channel", "fanout");
        Path dir = Path.of(o.required("dir"));
        int processes = o.integer("processes", 1);
        long serverPid = o.longValue("server-pid", -1);
        double[] rates = Arrays.stream(o.string("rates", "1,2,5,10,20,50,100,200,500").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        double stepSeconds = o.decimal("step-seconds", 10);
        double drainSeconds = o.decimal("drain-seconds", 5);
        Path out = Path.of(o.required("out"));

        ObjectNode result = ProcessFiles.JSON.createObjectNode();
        result.put("scenario", "fanout").put("server", o.string("name", "server"))
                .put("serverArgs", o.string("server-args", "")).put("channel", channel)
                .put("processes", processes).put("stepSeconds", stepSeconds).put("drainSeconds", drainSeconds)
                .put("dataBytes", PublishStep.DATA_BYTES);
        List<JsonNode> ready = waitForAll(dir, processes, o.longValue("ready-timeout-seconds", 120), true);
        long[] loadgenPids = ready.stream().mapToLong(r -> r.path("pid").asLong()).toArray();
        int open = ready.stream().mapToInt(r -> r.path("open").asInt()).sum();
        result.put("requested", ready.stream().mapToInt(r -> r.path("requested").asInt()).sum())
                .put("open", open)
                .put("failed", ready.stream().mapToInt(r -> r.path("failed").asInt()).sum())
                .put("subscribed", ready.stream().mapToInt(r -> r.path("subscribed").asInt()).sum())
                .put("connectSeconds", ready.stream().mapToDouble(r -> r.path("connectSeconds").asDouble()).max().orElse(0))
                .put("clockSkewMicros", clockSkew(ready))
                .put("serverRssBytesConnected", ProcStat.rssBytes(serverPid));
        ArrayNode failures = result.putArray("connectFailures");
        ready.forEach(r -> r.path("failures").fields().forEachRemaining(e -> failures.add(e.getKey() + " ×" + e.getValue().asLong())));
        System.err.printf("fanout %s: %d subscribers open, %d failed%n", result.path("server").asText(), open, result.path("failed").asInt());

        ArrayNode steps = result.putArray("steps");
        if (open > 0) {
            TimeUnit.MILLISECONDS.sleep(o.longValue("settle-millis", 2000)); // let late subscriptions land
            try (PublishClient client = new PublishClient(publishUrl)) {
                // step 0: a warm-up (JIT, buffers), reported but never judged
                double warmRate = o.decimal("warmup-rate", 5);
                FanoutStep warm = runStep(client, dir, processes, channel, 0, warmRate, o.decimal("warmup-seconds", 5),
                        drainSeconds, serverPid, loadgenPids);
                steps.add(warm.toJson(true));
                for (int i = 0; i < rates.length && i + 1 < StepRecorder.MAX_STEPS; i++) {
                    FanoutStep s = runStep(client, dir, processes, channel, i + 1, rates[i], stepSeconds, drainSeconds,
                            serverPid, loadgenPids);
                    steps.add(s.toJson(false));
                    System.err.println("fanout " + result.path("server").asText() + ": " + s.summary());
                    if (!s.sustained()) {
                        break;
                    }
                }
            } catch (java.io.IOException e) {
                result.put("error", e.getMessage());
            }
        }
        Files.writeString(ProcessFiles.stop(dir), "stop");
        List<JsonNode> fin = waitForAll(dir, processes, 30, false);
        result.put("closedAfterOpen", fin.stream().mapToInt(r -> r.path("closedAfterOpen").asInt()).sum());
        ObjectNode closes = result.putObject("serverCloses");
        fin.forEach(r -> r.path("serverCloses").fields().forEachRemaining(e ->
                closes.put(e.getKey(), closes.path(e.getKey()).asLong() + e.getValue().asLong())));
        ProcessFiles.write(out, result);
    }

    private static FanoutStep runStep(PublishClient client, Path dir, int processes, String channel, int step, double rate,
                                      double seconds, double drainSeconds, long serverPid, long[] loadgenPids)
            throws InterruptedException {
        long t0 = System.nanoTime();
        long server0 = ProcStat.cpuMillis(serverPid);
        long loadgen0 = cpu(loadgenPids);
        long self0 = ProcStat.selfCpuMillis();
        long machine0 = ProcStat.machineBusyMillis();
        PublishStep.Outcome pub = PublishStep.run(client, channel, step, rate, seconds);
        long drainDeadline = System.nanoTime() + (long) (drainSeconds * 1e9);
        Merged m;
        do {
            TimeUnit.MILLISECONDS.sleep(250);
            m = merged(dir, processes, step);
        } while (m.tally.deliveries() < pub.ok() * m.open && System.nanoTime() < drainDeadline);
        double wall = (System.nanoTime() - t0) / 1e9;
        return new FanoutStep(step, rate, pub, m.open, m.tally, wall,
                delta(ProcStat.cpuMillis(serverPid), server0), delta(cpu(loadgenPids), loadgen0),
                delta(ProcStat.selfCpuMillis(), self0), delta(ProcStat.machineBusyMillis(), machine0),
                ProcStat.rssBytes(serverPid));
    }

    private record Merged(StepTally tally, long open) {
    }

    /** The step's tallies of every process's latest snapshot, and the connections open now. */
    private static Merged merged(Path dir, int processes, int step) {
        StepTally sum = StepTally.empty(step);
        long open = 0;
        for (int id = 0; id < processes; id++) {
            Optional<JsonNode> snap = ProcessFiles.read(ProcessFiles.snapshot(dir, id));
            if (snap.isEmpty()) {
                continue;
            }
            open += snap.get().path("open").asLong() - snap.get().path("closedAfterOpen").asLong();
            for (JsonNode t : snap.get().path("steps")) {
                if (t.path("step").asInt() == step) {
                    sum = sum.merge(StepTally.fromJson(t));
                }
            }
        }
        return new Merged(sum, open);
    }

    private static List<JsonNode> waitForAll(Path dir, int processes, long timeoutSeconds, boolean ready) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        List<JsonNode> found = new ArrayList<>();
        while (true) {
            found.clear();
            for (int id = 0; id < processes; id++) {
                ProcessFiles.read(ready ? ProcessFiles.ready(dir, id) : ProcessFiles.fin(dir, id)).ifPresent(found::add);
            }
            if (found.size() == processes || System.nanoTime() > deadline) {
                return found;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** The largest difference between the processes' wall-minus-monotonic offsets and this one's. */
    private static long clockSkew(List<JsonNode> ready) {
        long mine = ProcessFiles.clockOffsetMicros();
        return ready.stream().mapToLong(r -> Math.abs(r.path("clockOffsetMicros").asLong() - mine)).max().orElse(0);
    }

    private static long cpu(long[] pids) {
        long sum = 0;
        for (long pid : pids) {
            long c = ProcStat.cpuMillis(pid);
            if (c < 0) {
                return -1;
            }
            sum += c;
        }
        return sum;
    }

    private static long delta(long after, long before) {
        return after < 0 || before < 0 ? -1 : after - before;
    }
}
