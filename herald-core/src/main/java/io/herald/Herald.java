package io.herald;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.internal.ChannelStats;
import io.herald.internal.HeraldMetrics;
import io.herald.internal.Hub;
import io.herald.internal.LiveStats;
import io.herald.internal.StatsRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 300 lines on purpose: the whole Java API (SPEC §5.4) in one facade, with its builder;
// each method is a documented delegation to the engine or the hub.
/**
 * Herald: publish events to channels and have them delivered to every subscribed client. This is
 * the whole Java API (SPEC §5.4); the server is this API plus its transports.
 *
 * <pre>{@code
 * HeraldServer server = HeraldServer.create(ServerConfig.newBuilder().port(8080).build());
 * try (Herald herald = Herald.builder().transport(server).start()) {
 *     herald.publish("scan:42", "progress", Map.of("pct", 5)).join();
 * }
 * }</pre>
 *
 * <p>Thread-safe: publish from any thread. Per channel, publications get strictly increasing
 * offsets and every subscriber sees them in that order. {@link #close()} shuts the transports down
 * gracefully, then the engine, then answers what the engine completed as it closed.
 */
public final class Herald implements AutoCloseable {
    /** How often completed and idle channels are looked for and removed, by default. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(1);

    /**
     * The system channel where Herald publishes occupancy changes (SPEC §7): a critical message
     * {@code occupied} or {@code vacant} with data {@code {"channel":…}} when a channel gains its
     * first subscriber on this node or loses its last. Admins may subscribe; nobody may publish.
     */
    public static final String OCCUPANCY_CHANNEL = "$herald:occupancy";

    /**
     * The system channel where Herald publishes this node's live stats (the dashboard's data): once
     * every {@linkplain Builder#statsInterval stats interval} (1 s) while someone on this node
     * subscribes to it, a message {@code stats} whose data holds the node's id, channels, busiest
     * channels, message totals, delivery latency percentiles of the interval, and what the
     * transports add ({@link StatsSource}). Admins may subscribe; nobody may publish.
     */
    public static final String STATS_CHANNEL = "$herald:stats";

    /** How often the live stats are published while watched, by default. */
    public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(Herald.class);

    private final HeraldConfig config;
    private final HeraldClock clock;
    private final Engine engine;
    private final MeterRegistry meterRegistry;
    private final StatsRegistry stats;
    private final Hub hub;
    private final List<Transport> transports;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<OccupancyListener> occupancyListeners = new CopyOnWriteArrayList<>();
    private final List<StatsSource> statsSources = new CopyOnWriteArrayList<>();
    private final String nodeId;
    private final LiveStats liveStats;
    /** Counts a publication once its engine accepted it; one instance, not a lambda per publish. */
    private final Function<Publication, Publication> countPublished = this::countPublished;
    /** Whether the last stats tick found a watcher; read and written by the stats thread only. */
    private boolean statsWatched;
    private ScheduledExecutorService statsTicker;
    /** Reports occupancy changes one at a time, in the order the hub saw them. */
    private final ExecutorService occupancy;
    private ScheduledExecutorService sweeper;

    private Herald(Builder b) {
        this.config = b.config;
        this.clock = b.clock;
        this.engine = b.engine != null ? b.engine : Engines.memory();
        this.meterRegistry = b.meterRegistry != null ? b.meterRegistry : new CompositeMeterRegistry();
        HeraldMetrics metrics = new HeraldMetrics(meterRegistry, config);
        metrics.registerHistory(engine);
        this.stats = new StatsRegistry(metrics, clock, config);
        this.occupancy = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "herald-occupancy");
            t.setDaemon(true);
            return t;
        });
        this.hub = new Hub(engine, config, clock, stats, this::occupancyChanged);
        this.transports = List.copyOf(b.transports);
        this.nodeId = config.nodeId().orElseGet(() -> "herald-" + Long.toString(
                ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36 * 36), 36));
        this.liveStats = new LiveStats(stats, hub::subscriberCount, nodeId, clock.epochMillis());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Publishes a message. The future completes with the publication (its offset) once the engine
     * holds it; it fails with {@link HeraldException} when the engine cannot take it.
     */
    public CompletableFuture<Publication> publish(Message message) {
        Objects.requireNonNull(message, "message");
        if (ChannelNames.isSystem(message.channel())) {
            return CompletableFuture.failedFuture(HeraldException.forbidden(
                    "'" + message.channel() + "' is a system channel: only Herald publishes to $ channels"));
        }
        return publishChecked(message);
    }

    private CompletableFuture<Publication> publishChecked(Message message) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(HeraldException.engineUnavailable("Herald is closed"));
        }
        return engine.publish(normalize(message)).thenApply(countPublished);
    }

    private Publication countPublished(Publication p) {
        ChannelStats s = stats.of(p.channel());
        boolean completes = p.message().finalMessage();
        s.published(p.ts(), completes);
        if (completes) {
            log.info("channel {} completed after {} s: {} published, {} delivered, {} coalesced, {} dropped",
                    p.channel(), s.elapsedSeconds(p.ts()), s.published(), s.delivered(), s.coalesced(), s.dropped());
        }
        return p;
    }

    /**
     * Applies the namespace's lists (SPEC §4) to the message itself, so everything downstream (and
     * other nodes) reads one set of flags: {@code critical} events are critical, {@code completeOn}
     * events are final, {@code coalesce} events are keyed by their event name.
     */
    private Message normalize(Message m) {
        NamespaceOptions o = config.optionsFor(m.channel());
        boolean critical = !m.critical() && o.critical().contains(m.event());
        boolean complete = !m.finalMessage() && o.completeOn().contains(m.event());
        boolean keyed = m.key().isEmpty() && o.coalesce().contains(m.event());
        if (!critical && !complete && !keyed) {
            return m;
        }
        Message.Builder b = m.toBuilder();
        if (critical) {
            b.critical(true);
        }
        if (complete) {
            b.finalMessage(true);
        }
        if (keyed) {
            b.key(m.event());
        }
        return b.build();
    }

    /**
     * Publishes a plain message whose data is {@code data} converted to JSON (a {@link JsonNode},
     * a {@code Map}, a record or bean, a string, a number).
     *
     * @throws HeraldException {@code bad_request} for an invalid channel or event
     */
    public CompletableFuture<Publication> publish(String channel, String event, Object data) {
        return publish(Message.builder(channel, event).encodedData(data == null ? null : Json.toBytes(data)).build());
    }

    /** Opens the core's side of a client connection whose frames go to {@code outlet}. */
    public ClientSession openSession(Outlet outlet) {
        return hub.openSession(outlet);
    }

    /**
     * Adds a listener told when a channel gains its first subscriber on this node or loses its last
     * (see {@link OccupancyListener} for its thread and ordering).
     */
    public void addOccupancyListener(OccupancyListener listener) {
        occupancyListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeOccupancyListener(OccupancyListener listener) {
        occupancyListeners.remove(listener);
    }

    /** Called by the hub under the channel's lock: queued, so changes are reported in order and off the caller's thread. */
    private void occupancyChanged(String channel, boolean occupied) {
        try {
            occupancy.execute(() -> reportOccupancy(channel, occupied));
        } catch (RejectedExecutionException e) {
            // closing: nobody is left to tell
        }
    }

    private void reportOccupancy(String channel, boolean occupied) {
        Message m = Message.builder(OCCUPANCY_CHANNEL, occupied ? "occupied" : "vacant")
                .data(Json.toTree(Map.of("channel", channel))).critical(true).build();
        publishChecked(m).whenComplete((p, err) -> {
            if (err != null && !closed.get()) {
                log.warn("could not publish the occupancy of {} to {}: {}", channel, OCCUPANCY_CHANNEL, err.toString());
            }
        });
        for (OccupancyListener l : occupancyListeners) {
            try {
                l.changed(channel, occupied);
            } catch (RuntimeException e) {
                log.warn("occupancy listener failed for {}", channel, e);
            }
        }
    }

    /**
     * Adds a source of figures for the live stats ({@link #STATS_CHANNEL}); the server adds its
     * connections and traffic.
     */
    public void addStatsSource(StatsSource source) {
        statsSources.add(Objects.requireNonNull(source, "source"));
    }

    public void removeStatsSource(StatsSource source) {
        statsSources.remove(source);
    }

    /**
     * This node's id in the live stats: {@link HeraldConfig#nodeId()} when configured, else
     * {@code herald-} and a random suffix, made when this Herald was built.
     */
    public String nodeId() {
        return nodeId;
    }

    /**
     * One tick of the live stats: when someone on this node subscribes to {@link #STATS_CHANNEL},
     * publishes a snapshot there; otherwise does nothing (and latencies are not recorded for it).
     */
    private void tickStats() {
        boolean watched = hub.subscriberCount(STATS_CHANNEL) > 0;
        stats.metrics().watchLatency(watched);
        boolean continued = statsWatched;
        statsWatched = watched;
        if (!watched) {
            return;
        }
        if (!continued) {
            stats.metrics().intervalLatency(); // what was recorded before anybody watched is not this interval's
        }
        Map<String, Object> snapshot = liveStats.snapshot(clock.epochMillis(), continued);
        for (StatsSource source : statsSources) {
            try {
                source.addTo(snapshot);
            } catch (RuntimeException e) {
                log.warn("stats source {} failed", source, e);
            }
        }
        publishChecked(Message.builder(STATS_CHANNEL, "stats").data(Json.toTree(snapshot)).build())
                .whenComplete((p, err) -> {
                    if (err != null && !closed.get()) {
                        log.warn("could not publish the live stats to {}: {}", STATS_CHANNEL, err.toString());
                    }
                });
    }

    private void tickStatsQuietly() {
        try {
            tickStats();
        } catch (RuntimeException e) {
            log.warn("live stats failed", e);
        }
    }

    /** How many clients on this node are subscribed to {@code channel}: publishers may skip work when 0. */
    public int subscriberCount(String channel) {
        return hub.subscriberCount(channel);
    }

    /** Snapshots of every channel this node has counters for (published to or subscribed to). */
    public List<ChannelInfo> channels() {
        long now = clock.epochMillis();
        List<ChannelInfo> out = new ArrayList<>();
        for (ChannelStats s : stats.all()) {
            out.add(info(s, now));
        }
        return out;
    }

    /**
     * The channels in aggregate (SPEC §7), of {@code namespace} or, when null, of every namespace:
     * completed channels count until {@link HeraldConfig#statsWindow()} after their removal.
     * Herald's own channels ({@code $…}, e.g. {@link #STATS_CHANNEL}) are left out unless
     * {@code namespace} is one of theirs; {@link #summary(String, boolean)} may count them.
     */
    public ChannelSummary summary(String namespace) {
        return summary(namespace, false);
    }

    /**
     * The channels in aggregate as {@link #summary(String)}, Herald's own channels ({@code $…})
     * included when {@code system} is true (or {@code namespace} is one of theirs).
     */
    public ChannelSummary summary(String namespace, boolean system) {
        return stats.summary(namespace, system);
    }

    /**
     * A snapshot of {@code channel}, if this node knows it: it has counters here (published to or
     * subscribed to since Herald started), or the engine holds it (a durable store restored it),
     * then with counters at 0.
     */
    public Optional<ChannelInfo> channel(String channel) {
        ChannelStats s = stats.get(ChannelNames.validate(channel));
        if (s != null) {
            return Optional.of(info(s, clock.epochMillis()));
        }
        return engine.peek(channel).map(position -> new ChannelInfo(channel, position, 0, 0, 0, 0,
                hub.subscriberCount(channel), 0, false, engine.historyStats(channel).orElse(HistoryStats.NONE)));
    }

    /**
     * Deletes a channel now: its subscribers on this node get {@code unsubscribed} (reason
     * {@code deleted}) and lose the subscription at once, and its offsets, history, retained state,
     * counters and pending messages go. The future completes, possibly on an engine thread, with
     * whether anything existed.
     *
     * @throws HeraldException {@code bad_request} for an invalid channel name
     */
    public CompletableFuture<Boolean> deleteChannel(String channel) {
        ChannelNames.validate(channel);
        int evicted = hub.evict(channel, "deleted");
        boolean counted = stats.get(channel) != null;
        return engine.remove(channel).thenApply(held -> {
            stats.remove(channel);
            boolean existed = held || evicted > 0 || counted;
            if (existed) {
                log.info("channel {} deleted ({} subscribers told)", channel, evicted);
            }
            return existed;
        });
    }

    /**
     * Reads the channel's history: at most {@code limit} messages after {@code since}, oldest first,
     * and whether {@code since} is still covered ({@link Engine#history}). The future may complete on
     * an engine thread.
     *
     * @throws HeraldException {@code bad_request} for an invalid channel name
     */
    public CompletableFuture<History> history(String channel, StreamPosition since, int limit) {
        Objects.requireNonNull(since, "since");
        return engine.history(ChannelNames.validate(channel), since, limit);
    }

    /** The channel's retained state: the latest message of each key, oldest first (empty unless its namespace retains). */
    public CompletableFuture<List<Publication>> retained(String channel) {
        return engine.retained(ChannelNames.validate(channel));
    }

    /** Removes {@code key} from the channel's retained state; completes with whether it was there. */
    public CompletableFuture<Boolean> removeRetained(String channel, String key) {
        Objects.requireNonNull(key, "key");
        return engine.removeRetained(ChannelNames.validate(channel), key);
    }

    /**
     * Sends every pending batch and throttled key now, without waiting for their interval (a
     * transport's graceful shutdown calls this before telling clients to go). The future completes
     * once each has been written to its subscribers, or to the backlogs of slow ones, which
     * {@link ClientSession#flush()} then sends.
     */
    public CompletableFuture<Void> flush() {
        return hub.flush();
    }

    /** Where Herald's meters go. Unless the builder was given one, a composite a transport can add its registry to. */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    private ChannelInfo info(ChannelStats s, long now) {
        String ch = s.channel();
        return new ChannelInfo(ch, engine.peek(ch).orElse(StreamPosition.NONE), s.published(), s.delivered(), s.coalesced(), s.dropped(),
                hub.subscriberCount(ch), s.elapsedSeconds(now), s.completed(), engine.historyStats(ch).orElse(HistoryStats.NONE));
    }

    /** The channel's current epoch and latest offset. */
    public StreamPosition position(String channel) {
        return engine.position(ChannelNames.validate(channel));
    }

    /** The engine's health; the future may complete on an engine thread. */
    public CompletableFuture<Engine.Health> engineHealth() {
        return engine.health();
    }

    public HeraldConfig config() {
        return config;
    }

    public HeraldClock clock() {
        return clock;
    }

    /** Channels the engine holds state for: active, and completed but not yet cleaned up. */
    public int channelCount() {
        return engine.channelCount();
    }

    /**
     * Removes channels whose cleanup delay has passed (SPEC §2 lifecycle) and expired history;
     * completes with how many channels went. Herald runs this every {@link Builder#sweepInterval};
     * call it yourself when driving a manual clock.
     */
    public CompletableFuture<Integer> sweep() {
        return engine.sweep().thenApply(removed -> {
            stats.sweep(config, hub::hasSubscribers);
            return removed;
        });
    }

    /** Whether {@link #close()} has begun. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes gracefully, in this order: refuses new publishes ({@code unavailable}); shuts the
     * transports down (no new connections, clients sent away, each within its drain timeout); closes
     * the engine, which completes the publishes under way (a durable store commits them); then stops
     * the transports, which answer those publishes before they close their connections. So every
     * publish a client sent gets an answer, and each one answered with success is kept. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (int i = transports.size() - 1; i >= 0; i--) {
            transports.get(i).shutdown();
        }
        closeCore();
        for (int i = transports.size() - 1; i >= 0; i--) {
            transports.get(i).stop();
        }
    }

    /** Stops the background tasks and closes the engine. */
    private void closeCore() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        if (statsTicker != null) {
            statsTicker.shutdownNow();
        }
        occupancy.shutdown();
        engine.close();
    }

    /** The sweeper's task: waits for the sweep, so sweeps never overlap. */
    private void sweepQuietly() {
        try {
            int removed = sweep().join();
            if (removed > 0) {
                log.debug("removed {} completed or idle channels", removed);
            }
        } catch (RuntimeException e) {
            log.warn("channel cleanup failed", e);
        }
    }

    /** Configures and starts a {@link Herald}. Not thread-safe. */
    public static final class Builder {
        private HeraldConfig config = HeraldConfig.DEFAULTS;
        private HeraldClock clock = HeraldClock.SYSTEM;
        private Engine engine;
        private MeterRegistry meterRegistry;
        private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
        private Duration statsInterval = DEFAULT_STATS_INTERVAL;
        private final List<Transport> transports = new ArrayList<>();

        private Builder() {
        }

        /** Namespace options; default {@link HeraldConfig#DEFAULTS}. */
        public Builder config(HeraldConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The clock all timing reads; default {@link HeraldClock#SYSTEM}. */
        public Builder clock(HeraldClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The engine; default the in-memory engine. */
        public Builder engine(Engine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /**
         * How often to remove completed and idle channels (default 1 s); {@link Duration#ZERO}
         * turns the background sweep off, for tests that call {@link Herald#sweep()} on a manual clock.
         */
        public Builder sweepInterval(Duration interval) {
            if (interval == null || interval.isNegative()) {
                throw new IllegalArgumentException("sweepInterval must be zero or positive, was " + interval);
            }
            this.sweepInterval = interval;
            return this;
        }

        /**
         * How often the live stats are published to {@link #STATS_CHANNEL} while someone on this
         * node subscribes to it (default 1 s); {@link Duration#ZERO} turns them off.
         */
        public Builder statsInterval(Duration interval) {
            if (interval == null || interval.isNegative()) {
                throw new IllegalArgumentException("statsInterval must be zero or positive, was " + interval);
            }
            this.statsInterval = interval;
            return this;
        }

        /** Where meters go; default a {@link CompositeMeterRegistry} (the server adds Prometheus to it). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Adds a transport, started with Herald and shut down by {@link Herald#close()}. */
        public Builder transport(Transport transport) {
            transports.add(Objects.requireNonNull(transport, "transport"));
            return this;
        }

        /** Starts the engine, then the transports. If a transport fails to start, everything started is stopped. */
        public Herald start() {
            Herald herald = new Herald(this);
            herald.engine.start(new Engine.Context(herald.hub, herald.clock, herald.config));
            if (!sweepInterval.isZero()) {
                herald.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "herald-sweeper");
                    t.setDaemon(true);
                    return t;
                });
                herald.sweeper.scheduleWithFixedDelay(herald::sweepQuietly, sweepInterval.toMillis(),
                        sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (!statsInterval.isZero()) {
                herald.statsTicker = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "herald-stats");
                    t.setDaemon(true);
                    return t;
                });
                herald.statsTicker.scheduleAtFixedRate(herald::tickStatsQuietly, statsInterval.toMillis(),
                        statsInterval.toMillis(), TimeUnit.MILLISECONDS);
            }
            List<Transport> started = new ArrayList<>();
            try {
                for (Transport t : herald.transports) {
                    t.start(herald);
                    started.add(t);
                }
            } catch (RuntimeException e) {
                for (int i = started.size() - 1; i >= 0; i--) {
                    started.get(i).shutdown();
                }
                herald.closeCore();
                for (int i = started.size() - 1; i >= 0; i--) {
                    started.get(i).stop();
                }
                throw e;
            }
            return herald;
        }
    }
}
