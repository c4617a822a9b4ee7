package io.herald.client;

import io.herald.client.internal.ClientCore;
import io.herald.client.internal.ClientSettings;
import io.herald.client.internal.ExecutorScheduler;
import io.herald.client.internal.JdkWebSocketTransport;
import io.herald.client.internal.Scheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A client of a Herald server (SPEC §10): one WebSocket connection that reconnects by itself and
 * resumes every subscription from the last message it delivered, so the application sees each
 * message exactly once, in order, across drops, server restarts (with durable history) and slow
 * patches; what cannot be recovered is reported ({@link NotRecovered}), never skipped silently.
 *
 * <pre>{@code
 * HeraldClient client = HeraldClient.newBuilder(URI.create("ws://127.0.0.1:8080/ws"))
 *         .tokenSupplier(() -> auth.freshToken())
 *         .onStatus(s -> log.info("herald: {}", s))
 *         .build();
 * client.subscribe("scan:42", m -> System.out.println(m.event() + " " + m.data()));
 * client.connect();
 * client.publish("scan:42", "progress", Map.of("pct", 40)).join();
 * client.close();
 * }</pre>
 *
 * <p><b>Connection.</b> It sends the token as {@code Authorization: Bearer}. After a drop it waits
 * a backoff with full jitter (a uniform draw up to {@code initialBackoff·2^n}, capped at
 * {@code maxBackoff}; 0.5 s and 30 s by default), or exactly the {@code reconnectAfterMs} of the
 * server's {@code shutdown} notice, then opens a new connection. It never reconnects after close
 * code 1008, and after 4001 only with a different token from its supplier; then it is
 * {@link ConnectionState#DISCONNECTED} until {@link #connect()} is called again. A server that
 * sends no frame for the {@code timeoutMs} of its {@code welcome} (it pings every
 * {@code heartbeatMs}) is taken for dead: the connection is dropped and a new one opened.
 *
 * <p><b>Threading.</b> Thread-safe: call any method from any thread. Every listener (status,
 * messages, state, lag, …) runs on the client's thread, one at a time: for one connection in the
 * order the server sent its frames, so a channel's messages arrive in offset order, after its
 * state. The futures of {@link #publish}, {@link #connect()} and {@link Subscription#ready()}
 * complete on that thread too: do not block in a listener or a dependent stage, since the client
 * does nothing else meanwhile (a slow listener slows the socket down; the server then reports a
 * {@link Lag}, which the client recovers). By default each client has a daemon thread of its own;
 * {@link Builder#executor} shares threads between many clients.
 */
public final class HeraldClient implements AutoCloseable {
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final ClientCore core;

    private HeraldClient(ClientCore core) {
        this.core = core;
    }

    /**
     * A builder for a client of {@code uri}, the server's WebSocket endpoint
     * ({@code ws://host:port/ws} or {@code wss://…}).
     */
    public static Builder newBuilder(URI uri) {
        return new Builder(uri);
    }

    /**
     * Starts connecting; completes once connected, or fails with a {@link ConnectionLostException}
     * if the client stops first (1008, 4001 without a fresh token, {@link #close()}). It keeps
     * reconnecting however long the server is away: the future then stays pending. Called again
     * after a final disconnect, it starts over.
     */
    public CompletableFuture<Void> connect() {
        return core.connect();
    }

    /**
     * Subscribes to {@code channel}, now if connected or else once connected; after every
     * reconnect it resumes from the last message delivered. Returns at once.
     *
     * @throws IllegalStateException if this client already has an active subscription to
     *         {@code channel}, or is closed
     */
    public Subscription subscribe(String channel, SubscribeOptions options) {
        return core.subscribe(channel, options);
    }

    /** {@link #subscribe(String, SubscribeOptions)} with every event and only a message listener. */
    public Subscription subscribe(String channel, Consumer<ChannelMessage> onMessage) {
        return core.subscribe(channel, SubscribeOptions.newBuilder().onMessage(onMessage).build());
    }

    /** {@link #publish(String, String, Object, PublishOptions)} of a plain message. */
    public CompletableFuture<Published> publish(String channel, String event, Object data) {
        return core.publish(channel, event, data, PublishOptions.PLAIN);
    }

    /**
     * Publishes {@code data} (anything Jackson converts to JSON; null for none) as {@code event} on
     * {@code channel}; the connection's token needs the channel in its {@code publish} claim. While
     * the client is (re)connecting the publish waits, in order, and goes once connected. The future
     * completes with where it went, or fails with a {@link ServerErrorException} (the server's code:
     * {@code forbidden}, {@code bad_request}, …), or with a {@link ConnectionLostException} when the
     * connection ended before the answer (it is never sent twice, so it may or may not have been
     * published) or the client is disconnected; or with an {@link IllegalArgumentException} when
     * {@code data} is not convertible.
     */
    public CompletableFuture<Published> publish(String channel, String event, Object data, PublishOptions options) {
        return core.publish(channel, event, data, options);
    }

    /** The connection's state now. */
    public ConnectionState state() {
        return core.state();
    }

    /**
     * Closes the connection (code 1000) for good: every subscription ends, publishes without an
     * answer fail. Returns once no listener will run any more (if called from a listener, once that
     * returns). Idempotent.
     */
    @Override
    public void close() {
        core.close();
    }

    /** Builds a {@link HeraldClient}. Not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private String token;
        private Supplier<String> tokenSupplier;
        private Consumer<ConnectionStatus> onStatus = s -> { };
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private HttpClient httpClient;
        private ScheduledExecutorService executor;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** A fixed token (a JWT). Without a token or supplier, the client connects anonymously. */
        public Builder token(String token) {
            this.token = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * Asked for a token before every connection attempt, on the client's thread (it may block;
         * nothing else of the client runs meanwhile). After a 4001 the client reconnects only if it
         * gives a different token than the refused one. Wins over {@link #token}.
         */
        public Builder tokenSupplier(Supplier<String> supplier) {
            this.tokenSupplier = Objects.requireNonNull(supplier, "supplier");
            return this;
        }

        /** Hears every change of the connection's state, on the client's thread. */
        public Builder onStatus(Consumer<ConnectionStatus> listener) {
            this.onStatus = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The ceiling of the first retry's wait (default 0.5 s); it doubles each retry up to {@link #maxBackoff}. */
        public Builder initialBackoff(Duration initial) {
            this.initialBackoff = Objects.requireNonNull(initial, "initial");
            return this;
        }

        /** The ceiling of any retry's wait (default 30 s). */
        public Builder maxBackoff(Duration max) {
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /** From the start of a connection attempt to the server's {@code welcome} (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The JDK {@link HttpClient} the WebSocket is opened with (default: a new one per client).
         * Many clients can share one (and its selector thread).
         */
        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Runs the client's listeners and timers on {@code executor} instead of a thread of its own.
         * Many clients can share one; each client's events still run one at a time, in order. The
         * application shuts it down, after closing the clients.
         */
        public Builder executor(ScheduledExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * @throws IllegalArgumentException for a URI that is not {@code ws:} or {@code wss:}, or
         *         backoffs or a timeout out of range (1 ms ≤ initial ≤ max; timeout ≥ 1 ms)
         */
        public HeraldClient build() {
            String scheme = uri.getScheme();
            if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("uri: a ws:// or wss:// URI of the server's /ws endpoint, got " + uri);
            }
            if (initialBackoff.toMillis() < 1 || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("initialBackoff must be at least 1 ms and maxBackoff at least initialBackoff, got "
                        + initialBackoff + " and " + maxBackoff);
            }
            if (connectTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("connectTimeout must be at least 1 ms, got " + connectTimeout);
            }
            ClientSettings settings = new ClientSettings(uri, Optional.ofNullable(token), Optional.ofNullable(tokenSupplier),
                    onStatus, initialBackoff, maxBackoff, connectTimeout);
            Scheduler scheduler = executor != null ? ExecutorScheduler.on(executor)
                    : ExecutorScheduler.ownThread("herald-client-" + COUNT.incrementAndGet());
            HttpClient http = httpClient != null ? httpClient : HttpClient.newHttpClient();
            return new HeraldClient(new ClientCore(settings, scheduler, new JdkWebSocketTransport(http), ThreadLocalRandom.current()));
        }
    }
}
