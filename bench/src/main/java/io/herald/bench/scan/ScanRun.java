package io.herald.bench.scan;

import io.herald.workloads.Kind;
import io.herald.workloads.ScanEvent;
import io.herald.workloads.ScanWorkload;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the scan workload once against a running server: connects the clients (half offering
 * permessage-deflate), waits until each is subscribed, replays the job, waits until each client
 * has the final message or the deadline passes, then checks every client against the publish log.
 */
final class ScanRun {
    private final String host;
    private final int port;
    private final String channel;
    private final int clientsPerMode;
    private final double speed;
    private final long seed;
    private final long finalTimeoutMillis;
    private final ServerCpu serverCpu;

    /**
     * @param clientsPerMode     clients offering deflate, and as many not offering it
     * @param finalTimeoutMillis how long after the replay to wait for the final message
     * @param serverCpu          reads the server's CPU time, when the server runs on this machine
     */
    ScanRun(String host, int port, String channel, int clientsPerMode, double speed, long seed, long finalTimeoutMillis,
            ServerCpu serverCpu) {
        this.host = host;
        this.port = port;
        this.channel = channel;
        this.clientsPerMode = clientsPerMode;
        this.speed = speed;
        this.seed = seed;
        this.finalTimeoutMillis = finalTimeoutMillis;
        this.serverCpu = serverCpu;
    }

    ConfigRun run(String name, String serverArgs, String note) throws Exception {
        List<ScanEvent> events = ScanWorkload.generate(seed);
        URI ws = URI.create("ws://" + host + ":" + port + "/ws/" + channel);
        EventLoopGroup group = ScanClient.newGroup(Math.min(2 * clientsPerMode, Runtime.getRuntime().availableProcessors()),
                "scan-client");
        // The publisher gets its own loop so that busy clients never delay its answers.
        EventLoopGroup publisherGroup = ScanClient.newGroup(1, "scan-publisher");
        List<ScanClient> clients = new ArrayList<>();
        try (PublishConnection http = PublishConnection.open(publisherGroup, host, port)) {
            for (int i = 0; i < clientsPerMode; i++) {
                clients.add(ScanClient.connect(group, ws, true));
                clients.add(ScanClient.connect(group, ws, false));
            }
            CompletableFuture.allOf(clients.stream().map(ScanClient::subscribed).toArray(CompletableFuture[]::new))
                    .get(10, TimeUnit.SECONDS);

            long cpuBefore = serverCpu.millis().orElse(-1);
            ScanReplay.Outcome replay = new ScanReplay(http, channel, speed).run(events);
            long replayEnd = System.nanoTime();
            awaitFinal(clients, replayEnd + TimeUnit.MILLISECONDS.toNanos(finalTimeoutMillis));
            double drainSeconds = (System.nanoTime() - replayEnd) / 1e9;
            long cpuAfter = serverCpu.millis().orElse(-1);
            long serverCpuMillis = cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore;

            List<ClientResult> results = new ArrayList<>();
            for (ScanClient c : clients) {
                results.add(ClientResult.check(c.tally(), replay.log()));
            }
            PublishLog log = replay.log();
            return new ConfigRun(name, serverArgs, note, seed, speed, clientsPerMode, log.published(Kind.CRITICAL),
                    log.published(Kind.KEYED), log.published(Kind.PLAIN), replay.requests(), replay.seconds(),
                    replay.maxLateMillis(), drainSeconds, serverCpuMillis, results);
        } finally {
            closeAll(clients);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            publisherGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    /** Waits for every client's final message, each within what is left of one shared deadline. */
    private static void awaitFinal(List<ScanClient> clients, long deadlineNanos) throws InterruptedException {
        for (ScanClient c : clients) {
            try {
                c.finished().get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // reported per client as "final message not received"
            }
        }
    }

    private static void closeAll(List<ScanClient> clients) throws InterruptedException {
        List<ChannelFuture> closing = new ArrayList<>();
        for (ScanClient c : clients) {
            closing.add(c.close());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (int i = 0; i < clients.size(); i++) {
            if (!closing.get(i).await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                clients.get(i).abort();
            }
        }
    }
}
