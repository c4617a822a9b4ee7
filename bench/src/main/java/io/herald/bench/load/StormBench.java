package io.herald.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 12's reconnect storm. N WebSocket clients subscribe to {@code --channels} channels (client
 * i on {@code <channel>-<i mod C>}, or {@code <channel>} when C is 1), receive a few warm-up
 * messages and remember the epoch and the last offset they saw; all close (1000); {@code --missed}
 * plain messages are published to every channel while they are away; then all N reconnect at once
 * to {@code /ws/<channel>?since=<epoch>:<offset>}. The clock runs from the first reconnect until
 * every client has had {@code subscribed} with {@code recovered:true} and every missed offset.
 * Counted apart: clients answered {@code recovered:false}, clients with a gap (an offset missing,
 * no lag frame on a channel of plain messages), repeats, failed connections, clients not done at
 * the timeout. Server CPU from {@code /proc/<pid>/stat} over the storm ÷ (N × missed).
 *
 * <pre>
 * --url ws://127.0.0.1:8080/ws  --publish-url http://127.0.0.1:8080/api/publish  --channel storm  --channels 1
 * --clients 10000  --missed 100  --warmup 10  --data-bytes 200  --connect-rate 1000  --sources 127.0.0.2-127.0.0.11
 * --threads 1  --server-pid PID  --timeout-seconds 120  --report FILE  --command "…"  --machine FILE
 * </pre>
 */
public final class StormBench {
    private static final Pattern EPOCH = Pattern.compile("\"epoch\":\"([^\"]+)\"");
    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private StormBench() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(new Options(Arrays.asList(args))));
    }

    /** One client's state in one phase; confined to its event loop until the phase has ended. */
    static final class Client extends SimpleChannelInboundHandler<WebSocketFrame> {
        final int index;
        final String channel;
        final long since; // -1 in the first phase
        final long target;
        final Phase phase;
        final OffsetLedger ledger = new OffsetLedger();
        volatile String epoch;
        volatile long lastSeen = -1;
        volatile int recovered = -1; // -1 no subscribed yet, 0 false, 1 true
        volatile long doneNanos = -1;
        volatile boolean settled;
        volatile boolean failedToOpen;
        long repeats;
        long messageFrames;
        long lagFrames;
        long subscribedFrames;

        Client(int index, String channel, long since, long target, Phase phase) {
            this.index = index;
            this.channel = channel;
            this.since = since;
            this.target = target;
            this.phase = phase;
            if (since >= 0) {
                ledger.subscribed(since);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                settle(null);
            } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                settle("handshake timeout");
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame close) {
                phase.note("server close " + close.statusCode());
                ctx.close();
                return;
            }
            if (!(frame instanceof TextWebSocketFrame)) {
                return;
            }
            ByteBuf content = frame.content();
            byte[] b = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), b);
            switch (OffsetScanner.type(b, b.length)) {
                case MESSAGES -> {
                    messageFrames++;
                    long before = ledger.outOfOrder();
                    OffsetScanner.offsets(b, b.length, ledger::message);
                    repeats += ledger.outOfOrder() - before;
                }
                case LAG -> {
                    lagFrames++;
                    ledger.lag(Math.max(0, OffsetScanner.skipped(b, b.length)));
                }
                case PING -> ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"pong\"}"));
                case SUBSCRIBED -> {
                    subscribedFrames++;
                    String s = new String(b, StandardCharsets.UTF_8);
                    Matcher m = EPOCH.matcher(s);
                    if (m.find()) {
                        epoch = m.group(1);
                    }
                    if (since < 0) {
                        ledger.subscribed(Math.max(0, OffsetScanner.firstOffset(b, b.length)));
                    }
                    if (recovered < 0) {
                        recovered = s.contains("\"recovered\":true") ? 1 : 0;
                        if (recovered == 0 && since >= 0) {
                            phase.note("recovered:false: " + (s.length() > 200 ? s.substring(0, 200) : s));
                        }
                    }
                }
                case OTHER -> {
                }
            }
            lastSeen = ledger.last();
            if (doneNanos < 0 && ledger.last() >= target && (since < 0 || recovered == 1)) {
                doneNanos = System.nanoTime();
                phase.done.incrementAndGet();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            settle("closed before the handshake completed");
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            settle(cause.getClass().getSimpleName() + ": " + cause.getMessage());
            ctx.close();
        }

        void settle(String failure) {
            if (settled) {
                return;
            }
            settled = true;
            if (failure == null) {
                phase.open.incrementAndGet();
            } else {
                failedToOpen = true;
                phase.failed.incrementAndGet();
                phase.note(failure);
            }
        }
    }

    /** The clients of one phase (first subscription, or the storm). */
    static final class Phase {
        final List<Client> clients = new ArrayList<>();
        final List<Channel> channels = new ArrayList<>();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final Map<String, LongAdder> notes = new ConcurrentHashMap<>();

        void note(String what) {
            String key = what.length() > 160 ? what.substring(0, 160) : what;
            if (notes.size() < 30 || notes.containsKey(key)) {
                notes.computeIfAbsent(key, k -> new LongAdder()).increment();
            }
        }
    }

    static int run(Options o) throws Exception {
        String base = o.required("url"); // ws://host:port/ws
        URI publishUrl = URI.create(o.required("publish-url"));
        String channelName = o.string("channel", "storm");
        int channelCount = o.integer("channels", 1);
        int n = o.integer("clients", 10_000);
        int missed = o.integer("missed", 100);
        int warmup = o.integer("warmup", 10);
        int dataBytes = o.integer("data-bytes", 200);
        double connectRate = o.decimal("connect-rate", 1000);
        List<InetAddress> sources = SubscribeCommand.sources(o.string("sources", "127.0.0.2-127.0.0.11"));
        long serverPid = o.longValue("server-pid", -1);
        long timeoutSeconds = o.longValue("timeout-seconds", 120);
        String[] names = new String[channelCount];
        for (int c = 0; c < channelCount; c++) {
            names[c] = channelCount == 1 ? channelName : channelName + "-" + c;
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(o.integer("threads", 1), new DefaultThreadFactory("storm"),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        StringBuilder report = new StringBuilder();
        int status = 0;
        try {
            // 1. subscribe, warm-up messages, remember the position
            Phase first = new Phase();
            Map<String, Long> warmTarget = new HashMap<>();
            for (String ch : names) {
                warmTarget.put(ch, Long.MAX_VALUE);
            }
            log("opening %d clients over %d channel(s) at %.0f/s", n, channelCount, connectRate);
            List<Client> firstClients = new ArrayList<>();
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long wait = t + (long) (i * 1e9 / connectRate) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                String ch = names[i % channelCount];
                firstClients.add(connect(group, base + "/" + ch, sources, i, new Client(i, ch, -1, Long.MAX_VALUE, first), first));
            }
            waitFor(() -> first.open.get() + first.failed.get() >= n, 30);
            waitFor(() -> first.clients.stream().filter(c -> c.recovered >= 0).count() >= first.open.get(), 30);
            log("open %d, failed %d", first.open.get(), first.failed.get());
            Map<String, Long> afterWarmup = new HashMap<>();
            for (String ch : names) {
                afterWarmup.put(ch, publish(http, publishUrl, ch, warmup, dataBytes));
            }
            waitFor(() -> first.clients.stream().allMatch(c -> c.lastSeen >= afterWarmup.get(c.channel)), 30);
            long[] position = new long[n];
            String[] epochs = new String[n];
            int positionless = 0;
            for (int i = 0; i < n; i++) {
                Client c = firstClients.get(i);
                position[i] = c.lastSeen;
                epochs[i] = c.epoch;
                if (c.epoch == null || c.lastSeen < afterWarmup.get(c.channel)) {
                    positionless++;
                }
            }
            log("positions known: %d of %d (warm-up to offset %s)", n - positionless, n, afterWarmup);
            // 2. everyone leaves
            for (Channel ch : first.channels) {
                ch.writeAndFlush(new CloseWebSocketFrame(1000, "away"));
            }
            waitFor(() -> first.channels.stream().noneMatch(Channel::isActive), 30);
            for (Channel ch : first.channels) {
                ch.close();
            }
            log("all closed; publishing %d per channel", missed);
            // 3. publish while they are away
            Map<String, Long> target = new HashMap<>();
            for (String ch : names) {
                target.put(ch, publish(http, publishUrl, ch, missed, dataBytes));
            }
            log("published to offsets %s", target);
            TimeUnit.MILLISECONDS.sleep(500);
            // 4. the storm: all at once
            Phase storm = new Phase();
            long cpu0 = serverPid > 0 ? ProcStat.cpuMillis(serverPid) : -1;
            long self0 = ProcStat.selfCpuMillis();
            long busy0 = ProcStat.machineBusyMillis();
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (epochs[i] == null) {
                    continue;
                }
                String ch = names[i % channelCount];
                String url = base + "/" + ch + "?since=" + URLEncoder.encode(epochs[i] + ":" + position[i], StandardCharsets.UTF_8);
                connect(group, url, sources, i, new Client(i, ch, position[i], target.get(ch), storm), storm);
            }
            double issueSeconds = (System.nanoTime() - start) / 1e9;
            int attempted = storm.clients.size();
            boolean finished = waitFor(() -> {
                int settledOutcome = 0;
                for (Client c : storm.clients) {
                    if (c.doneNanos >= 0 || c.recovered == 0 || c.failedToOpen) {
                        settledOutcome++;
                    }
                }
                return settledOutcome >= attempted;
            }, timeoutSeconds);
            // ends early when every client is done, answered recovered:false, or failed to connect
            if (!finished) {
                log("timeout: %d of %d done", storm.done.get(), attempted);
            }
            long end = System.nanoTime();
            long cpu1 = serverPid > 0 ? ProcStat.cpuMillis(serverPid) : -1;
            long self1 = ProcStat.selfCpuMillis();
            long busy1 = ProcStat.machineBusyMillis();
            TimeUnit.MILLISECONDS.sleep(300);
            // 5. tally, on the event loops' results (volatile fields and settled counters)
            long recTrue = 0, recFalse = 0, noSubscribed = 0, gapClients = 0, gapOffsets = 0, repeatClients = 0, lagClients = 0,
                    notDone = 0, received = 0, multiSub = 0, frames = 0;
            List<Long> times = new ArrayList<>();
            List<String> examples = new ArrayList<>();
            for (Client c : storm.clients) {
                if (c.recovered == 1) recTrue++;
                else if (c.recovered == 0) recFalse++;
                else noSubscribed++;
                if (c.ledger.gaps() > 0) {
                    gapClients++;
                    gapOffsets += c.ledger.gapOffsets();
                    if (examples.size() < 10) {
                        examples.add("client " + c.index + " on " + c.channel + ": since " + epochs[c.index] + ":" + c.since
                                + ", gaps " + c.ledger.gaps() + " (" + c.ledger.gapOffsets() + " offsets), last " + c.ledger.last()
                                + ", recovered " + c.recovered);
                    }
                }
                if (c.repeats > 0) repeatClients++;
                if (c.lagFrames > 0) lagClients++;
                if (c.subscribedFrames > 1) multiSub++;
                received += c.ledger.received();
                frames += c.messageFrames;
                if (c.doneNanos >= 0) times.add(c.doneNanos - start);
                else {
                    notDone++;
                    if (examples.size() < 10 && c.recovered != 0) {
                        examples.add("client " + c.index + " not done: since " + c.since + ", last " + c.ledger.last()
                                + " of " + c.target + ", recovered " + c.recovered + ", settled " + c.settled);
                    }
                }
            }
            times.sort(null);
            double wall = times.isEmpty() ? -1 : times.get(times.size() - 1) / 1e9;
            long recoveredMessages = (long) n * missed;
            double serverCpuMs = cpu1 >= 0 && cpu0 >= 0 ? cpu1 - cpu0 : -1;
            double stormSeconds = (end - start) / 1e9;
            report.append("# Reconnect storm (issue 12)\n\n");
            report.append("Command: `").append(o.string("command", "bench/run.sh storm")).append("`\n\n");
            report.append("| figure | value |\n|---|---|\n");
            row(report, "clients", String.format("%,d over %d channel(s) (`%s`%s), source addresses %s", n, channelCount,
                    names[0], channelCount > 1 ? " …" : "", o.string("sources", "127.0.0.2-127.0.0.11")));
            row(report, "first subscription", String.format("%,d open, %,d failed; %d warm-up messages per channel; positions known for %,d",
                    first.open.get(), first.failed.get(), warmup, n - positionless));
            row(report, "missed while away", String.format("%d plain messages per channel, `data` of %d B (offsets up to %s)", missed, dataBytes, target));
            row(report, "reconnects", String.format("%,d issued in %.2f s (no pacing), %,d opened, %,d failed", attempted, issueSeconds,
                    storm.open.get(), storm.failed.get()));
            row(report, "**time until every client recovered everything**", finished && notDone == 0
                    ? String.format("**%.2f s**", wall) : String.format("not reached: %,d not done (%,d answered `recovered:false`, %,d failed to connect)%s",
                    notDone, recFalse, storm.failed.get(), finished ? "" : String.format(", at the %d s timeout", timeoutSeconds)));
            if (!times.isEmpty()) {
                row(report, "done at, from the first reconnect", String.format("p50 %.2f s, p90 %.2f s, p99 %.2f s, max %.2f s",
                        pct(times, 50), pct(times, 90), pct(times, 99), wall));
            }
            row(report, "`recovered:true` / `recovered:false` / no `subscribed`", String.format("%,d / %,d / %,d", recTrue, recFalse, noSubscribed));
            row(report, "clients with a gap (offsets missing)", String.format("%,d (%,d offsets)", gapClients, gapOffsets));
            row(report, "clients with a repeat or out-of-order offset", String.format("%,d", repeatClients));
            row(report, "clients sent a `lag` frame", String.format("%,d", lagClients));
            row(report, "clients with more than one `subscribed`", String.format("%,d", multiSub));
            row(report, "missed messages received", String.format("%,d of %,d, in %,d message/batch frames (%.1f a client)", received,
                    recoveredMessages, frames, storm.clients.isEmpty() ? 0.0 : (double) frames / storm.clients.size()));
            row(report, "server CPU over the storm", serverCpuMs < 0 ? "–" : String.format("%,.0f ms in %.2f s (%.0f %% of a core)",
                    serverCpuMs, stormSeconds, serverCpuMs / 10 / stormSeconds));
            row(report, "**server CPU per recovered message**", serverCpuMs < 0 ? "–"
                    : String.format("**%.2f µs** (÷ %,d × %d)%s", serverCpuMs * 1000 / recoveredMessages, n, missed,
                    received < recoveredMessages ? "; fewer were recovered: the quotient is of the owed, not the received" : ""));
            row(report, "load generator CPU; other CPU on the machine", String.format("%,d ms; %,d ms (machine busy − server − load generator)",
                    self1 - self0, busy1 - busy0 - (self1 - self0) - (long) Math.max(0, serverCpuMs)));
            if (!storm.notes.isEmpty() || !first.notes.isEmpty()) {
                report.append("\nEvents (first phase / storm):\n\n");
                first.notes.forEach((k, v) -> report.append("- first: ").append(k).append(" ×").append(v.sum()).append('\n'));
                storm.notes.forEach((k, v) -> report.append("- storm: ").append(k).append(" ×").append(v.sum()).append('\n'));
            }
            if (!examples.isEmpty()) {
                report.append("\nExamples:\n\n");
                examples.forEach(e -> report.append("- ").append(e).append('\n'));
            }
            String machine = o.string("machine", "");
            if (!machine.isEmpty() && Files.exists(Path.of(machine))) {
                report.append("\nMachine:\n\n```\n").append(Files.readString(Path.of(machine))).append("```\n");
            }
            status = notDone == 0 && recFalse == 0 && gapClients == 0 && repeatClients == 0 && storm.failed.get() == 0 ? 0 : 1;
            for (Channel ch : storm.channels) {
                ch.writeAndFlush(new CloseWebSocketFrame(1000, "done"));
            }
            waitFor(() -> storm.channels.stream().noneMatch(Channel::isActive), 10);
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        String out = o.string("report", "");
        if (!out.isEmpty()) {
            Files.writeString(Path.of(out), report.toString());
        }
        System.out.print(report);
        return status;
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    private static double pct(List<Long> sorted, int p) {
        int i = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(p / 100.0 * sorted.size()) - 1));
        return sorted.get(i) / 1e9;
    }

    private static void log(String fmt, Object... args) {
        System.err.printf("storm: " + fmt + "%n", args);
    }

    interface Condition {
        boolean holds();
    }

    private static boolean waitFor(Condition c, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (c.holds()) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return c.holds();
    }

    /** Publishes {@code count} plain messages to {@code channel}, one request each; returns the last offset. */
    private static long publish(HttpClient http, URI url, String channel, int count, int dataBytes) throws IOException, InterruptedException {
        String head = "{\"pad\":\"";
        String data = head + "x".repeat(Math.max(0, dataBytes - head.length() - 2)) + "\"}";
        String body = "{\"channel\":\"" + channel + "\",\"event\":\"tick\",\"data\":" + data + "}";
        long last = -1;
        for (int k = 0; k < count; k++) {
            HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("X-Api-Key", System.getenv().getOrDefault("HERALD_BENCH_API_KEY", ""))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("publish: HTTP " + r.statusCode() + ": " + r.body());
            }
            byte[] b = r.body().getBytes(StandardCharsets.UTF_8);
            last = OffsetScanner.firstOffset(b, b.length);
        }
        return last;
    }

    private static Client connect(EventLoopGroup group, String url, List<InetAddress> sources, int i, Client client, Phase phase) {
        URI uri = URI.create(url);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri).maxFramePayloadLength(MAX_FRAME_BYTES).handshakeTimeoutMillis(60_000)
                .handleCloseFrames(false).withUTF8Validator(false).build();
        Bootstrap b = new Bootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 60_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(16 * 1024),
                                new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(MAX_FRAME_BYTES), client);
                    }
                });
        InetSocketAddress remote = new InetSocketAddress(uri.getHost(), uri.getPort());
        ChannelFuture f = sources.isEmpty() ? b.connect(remote)
                : b.connect(remote, new InetSocketAddress(sources.get(i % sources.size()), 0));
        f.addListener(done -> {
            if (!done.isSuccess()) {
                client.settle("connect: " + done.cause());
            }
        });
        phase.clients.add(client);
        phase.channels.add(f.channel());
        return client;
    }
}
