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
 * {@code loadgen fanout} and {@code loadgen channels}: the driver of one server's run. Waits for
 * the subscriber processes, publishes a warm-up step and then rising rates, each for
 * {@code --step-seconds}, and after each step waits up to {@code --drain-seconds} for every
 * delivery. It stops after the first step that is not sustained ({@link FanoutStep#sustained}).
 * It samples the CPU time of the server, the subscriber processes and itself around each step,
 * and writes one JSON result.
 *
 * <p>The two scenarios differ only in their {@link Scenario} defaults: {@code fanout} publishes
 * to the one channel every subscriber is on; {@code channels} spreads the subscribers over
 * {@code --channels} channels ({@link ChannelLayout}) and sends message {@code j} to channel
 * {@code j mod C}, so a message is owed to that channel's subscribers only.
 *
 * <pre>
 * --publish-url http://127.0.0.1:8080/api/publish  --channel fanout (channels: ch-{c})  --channels 1 (channels: 1000)
 * --publish-connections 1  --dir WORKDIR  --processes 1  --server-pid PID  --name herald-passthrough
 * --rates 1,2,5,10,20,50,100  --step-seconds 10  --drain-seconds 5  --warmup-seconds 5  --warmup-rate 5 (channels: 100)
 * --out result.json
 * </pre>
 */
final class FanoutCommand {
    /** A scenario's name and defaults; every option can still be given. */
    record Scenario(String name, String channel, int channels, String rates, double warmupRate) {
        static final Scenario FANOUT = new Scenario("fanout", "fanout", 1, "1,2,5,10,20,50,100,200,500", 5);
        static final Scenario CHANNELS = new Scenario("channels", "ch-" + ChannelLayout.PLACEHOLDER, 1000,
                "100,200,500,1000,2000,3000,5000,7000,10000,15000,20000", 100);
    }

    private FanoutCommand() {
    }

    static void run(Scenario scenario, Options o) throws Exception {
        URI publishUrl = URI.create(o.required("publish-url"));
        ChannelLayout layout = new ChannelLayout(o.integer("channels", scenario.channels()));
        String channel = layout.check(o.string("channel", scenario.channel()), "--channel");
        int publishConnections = o.integer("publish-connections", 1);
        Path dir = Path.of(o.required("dir"));
        int processes = o.integer("processes", 1);
        long serverPid = o.longValue("server-pid", -1);
        double[] rates = Arrays.stream(o.string("rates", scenario.rates()).split(","))
                .mapToDouble(Double::parseDouble).toArray();
        double stepSeconds = o.decimal("step-seconds", 10);
        double drainSeconds = o.decimal("drain-seconds", 5);
        Path out = Path.of(o.required("out"));
        String tag = scenario.name() + " " + o.string("name", "server");

        ObjectNode result = ProcessFiles.JSON.createObjectNode();
        result.put("scenario", scenario.name()).put("server", o.string("name", "server"))
                .put("serverArgs", o.string("server-args", "")).put("channel", channel).put("channels", layout.channels())
                .put("publishConnections", publishConnections)
                .put("processes", processes).put("stepSeconds", stepSeconds).put("drainSeconds", drainSeconds)
                .put("dataBytes", PublishStep.DATA_BYTES);
        List<JsonNode> ready = waitForAll(dir, processes, o.longValue("ready-timeout-seconds", 120), true);
        String mismatch = ready.stream().filter(r -> r.path("openPerChannel").size() != layout.channels()).findFirst()
                .map(r -> "subscriber process " + r.path("id").asInt() + " spreads its connections over "
                        + r.path("openPerChannel").size() + " channels, the driver over " + layout.channels())
                .orElse(null);
        long[] perChannel = sumPerChannel(ready, layout);
        long[] loadgenPids = ready.stream().mapToLong(r -> r.path("pid").asLong()).toArray();
        int open = ready.stream().mapToInt(r -> r.path("open").asInt()).sum();
        result.put("requested", ready.stream().mapToInt(r -> r.path("requested").asInt()).sum())
                .put("open", open)
                .put("failed", ready.stream().mapToInt(r -> r.path("failed").asInt()).sum())
                .put("subscribed", ready.stream().mapToInt(r -> r.path("subscribed").asInt()).sum())
                .put("connectSeconds", ready.stream().mapToDouble(r -> r.path("connectSeconds").asDouble()).max().orElse(0))
                .put("subscribersPerChannelMin", Arrays.stream(perChannel).min().orElse(0))
                .put("subscribersPerChannelMax", Arrays.stream(perChannel).max().orElse(0))
                .put("subscribersPerChannelAsLaidOut", Arrays.equals(perChannel, layout.subscribersPerChannel(open)))
                .put("clockSkewMicros", clockSkew(ready))
                .put("serverRssBytesConnected", ProcStat.rssBytes(serverPid));
        ArrayNode failures = result.putArray("connectFailures");
        ready.forEach(r -> r.path("failures").fields().forEachRemaining(e -> failures.add(e.getKey() + " ×" + e.getValue().asLong())));
        System.err.printf("%s: %d subscribers open, %d failed%n", tag, open, result.path("failed").asInt());
        if (open == result.path("requested").asInt() && !result.path("subscribersPerChannelAsLaidOut").asBoolean()) {
            // every connection opened, so channel k must have its share: the processes' --first-index are wrong
            System.err.printf("%s: the subscribers are not spread over the channels as subscriber i on channel i mod %d%n",
                    tag, layout.channels());
        }

        ArrayNode steps = result.putArray("steps");
        if (mismatch != null) {
            result.put("error", mismatch);
            System.err.println(tag + ": " + mismatch);
        } else if (open > 0) {
            TimeUnit.MILLISECONDS.sleep(o.longValue("settle-millis", 2000)); // let late subscriptions land
            try (PublishClient client = new PublishClient(publishUrl, publishConnections)) {
                Publisher publisher = new Publisher(client, layout, channel);
                // step 0: a warm-up (JIT, buffers), reported but never judged
                double warmRate = o.decimal("warmup-rate", scenario.warmupRate());
                FanoutStep warm = runStep(publisher, dir, processes, 0, warmRate, o.decimal("warmup-seconds", 5),
                        drainSeconds, serverPid, loadgenPids);
                steps.add(warm.toJson(true));
                for (int i = 0; i < rates.length && i + 1 < StepRecorder.MAX_STEPS; i++) {
                    FanoutStep s = runStep(publisher, dir, processes, i + 1, rates[i], stepSeconds, drainSeconds,
                            serverPid, loadgenPids);
                    steps.add(s.toJson(false));
                    System.err.println(tag + ": " + s.summary());
                    if (!s.sustained()) {
                        break;
                    }
                }
                result.put("publishReconnects", client.reconnects());
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

    /** The publish connection(s), the channels, and the number of the next message (on from step to step). */
    private static final class Publisher {
        final PublishClient client;
        final ChannelLayout layout;
        final String channel;
        long nextMessage;

        Publisher(PublishClient client, ChannelLayout layout, String channel) {
            this.client = client;
            this.layout = layout;
            this.channel = channel;
        }

        PublishStep.Outcome publish(int step, double rate, double seconds) throws InterruptedException {
            PublishStep.Outcome pub = PublishStep.run(client, layout, channel, nextMessage, step, rate, seconds);
            nextMessage += pub.sent();
            return pub;
        }
    }

    private static FanoutStep runStep(Publisher publisher, Path dir, int processes, int step, double rate,
                                      double seconds, double drainSeconds, long serverPid, long[] loadgenPids)
            throws InterruptedException {
        long t0 = System.nanoTime();
        long server0 = ProcStat.cpuMillis(serverPid);
        long loadgen0 = cpu(loadgenPids);
        long self0 = ProcStat.selfCpuMillis();
        long machine0 = ProcStat.machineBusyMillis();
        PublishStep.Outcome pub = publisher.publish(step, rate, seconds);
        long drainDeadline = System.nanoTime() + (long) (drainSeconds * 1e9);
        Merged m;
        long expected;
        do {
            TimeUnit.MILLISECONDS.sleep(250);
            m = merged(dir, processes, step, publisher.layout);
            expected = ChannelLayout.expected(pub.okPerChannel(), m.openPerChannel);
        } while (m.tally.deliveries() < expected && System.nanoTime() < drainDeadline);
        double wall = (System.nanoTime() - t0) / 1e9;
        return new FanoutStep(step, rate, pub, m.open, expected, m.tally, wall,
                delta(ProcStat.cpuMillis(serverPid), server0), delta(cpu(loadgenPids), loadgen0),
                delta(ProcStat.selfCpuMillis(), self0), delta(ProcStat.machineBusyMillis(), machine0),
                ProcStat.rssBytes(serverPid));
    }

    private record Merged(StepTally tally, long open, long[] openPerChannel) {
    }

    /** The step's tallies of every process's latest snapshot, and the connections open now, in all and per channel. */
    private static Merged merged(Path dir, int processes, int step, ChannelLayout layout) {
        StepTally sum = StepTally.empty(step);
        long open = 0;
        List<JsonNode> snaps = new ArrayList<>();
        for (int id = 0; id < processes; id++) {
            Optional<JsonNode> snap = ProcessFiles.read(ProcessFiles.snapshot(dir, id));
            if (snap.isEmpty()) {
                continue;
            }
            snaps.add(snap.get());
            open += snap.get().path("open").asLong() - snap.get().path("closedAfterOpen").asLong();
            for (JsonNode t : snap.get().path("steps")) {
                if (t.path("step").asInt() == step) {
                    sum = sum.merge(StepTally.fromJson(t));
                }
            }
        }
        return new Merged(sum, open, sumPerChannel(snaps, layout));
    }

    /** The processes' {@code openPerChannel} added up, by channel number. */
    private static long[] sumPerChannel(List<JsonNode> files, ChannelLayout layout) {
        long[] sum = new long[layout.channels()];
        for (JsonNode f : files) {
            JsonNode a = f.path("openPerChannel");
            for (int k = 0; k < sum.length && k < a.size(); k++) {
                sum[k] += a.get(k).asLong();
            }
        }
        return sum;
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
