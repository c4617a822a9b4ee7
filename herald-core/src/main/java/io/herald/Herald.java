package io.herald;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.internal.ChannelStats;
import io.herald.internal.HeraldMetrics;
import io.herald.internal.Hub;
import io.herald.internal.StatsRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * gracefully, then the engine.
 */
public final class Herald implements AutoCloseable {
    /** How often completed and idle channels are looked for and removed, by default. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(Herald.class);

    private final HeraldConfig config;
    private final HeraldClock clock;
    private final Engine engine;
    private final MeterRegistry meterRegistry;
    private final StatsRegistry stats;
    private final Hub hub;
    private final List<Transport> transports;
    private final AtomicBoolean closed = new AtomicBoolean();
    private ScheduledExecutorService sweeper;

    private Herald(Builder b) {
        this.config = b.config;
        this.clock = b.clock;
        this.engine = b.engine != null ? b.engine : Engines.memory();
        this.meterRegistry = b.meterRegistry != null ? b.meterRegistry : new CompositeMeterRegistry();
        this.stats = new StatsRegistry(new HeraldMetrics(meterRegistry, config));
        this.hub = new Hub(engine, config, clock, stats);
        this.transports = List.copyOf(b.transports);
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
        if (closed.get()) {
            return CompletableFuture.failedFuture(HeraldException.engineUnavailable("Herald is closed"));
        }
        Message m = normalize(message);
        return engine.publish(m).thenApply(p -> {
            ChannelStats s = stats.of(p.channel());
            s.published(p.ts(), m.finalMessage());
            if (m.finalMessage()) {
                log.info("channel {} completed after {} s: {} published, {} delivered, {} coalesced, {} dropped",
                        p.channel(), s.elapsedSeconds(p.ts()), s.published(), s.delivered(), s.coalesced(), s.dropped());
            }
            return p;
        });
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
        return publish(Message.of(channel, event, Json.toTree(data)));
    }

    /** Opens the core's side of a client connection whose frames go to {@code outlet}. */
    public ClientSession openSession(Outlet outlet) {
        return hub.openSession(outlet);
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
     * A snapshot of {@code channel}, if this node knows it: it has counters for it, or the engine
     * holds its stream (a channel a durable engine restored, with no counters yet).
     */
    public Optional<ChannelInfo> channel(String channel) {
        ChannelStats s = stats.get(ChannelNames.validate(channel));
        if (s != null) {
            return Optional.of(info(s, clock.epochMillis()));
        }
        return engine.peek(channel).map(p -> new ChannelInfo(channel, p, 0, 0, 0, 0, hub.subscriberCount(channel), 0, false));
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
                hub.subscriberCount(ch), s.elapsedSeconds(now), s.completed());
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
        return engine.sweep();
    }

    /** Whether {@link #close()} has begun. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Shuts down the transports gracefully (each within its drain timeout), then the engine. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (int i = transports.size() - 1; i >= 0; i--) {
            transports.get(i).shutdown();
        }
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        engine.close();
    }

    /** The sweeper's task: waits for the sweep, so sweeps never overlap. */
    private void sweepQuietly() {
        try {
            int removed = engine.sweep().join();
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
                if (herald.sweeper != null) {
                    herald.sweeper.shutdownNow();
                }
                herald.engine.close();
                throw e;
            }
            return herald;
        }
    }
}
