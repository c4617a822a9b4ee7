package io.herald.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.herald.client.CloseCodes;
import io.herald.client.ConnectionLostException;
import io.herald.client.ConnectionState;
import io.herald.client.ConnectionStatus;
import io.herald.client.PublishOptions;
import io.herald.client.Published;
import io.herald.client.ServerErrorException;
import io.herald.client.SubscribeOptions;
import io.herald.client.Subscription;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 300 lines on purpose: one connection's whole life (attempt, welcome, liveness, drop, backoff,
// the rules for 1001, 1008 and 4001) in one place; its states would otherwise span classes.
/**
 * The client's engine: opens a connection, waits for {@code welcome}, hands frames to
 * {@link Channels} and {@link Publishes}, answers pings, watches for a silent server, and after a
 * drop waits out the backoff (or the server's {@code reconnectAfterMs}) and opens the next one.
 *
 * <pre>
 * (none) ─connect()─▶ CONNECTING ─welcome─▶ CONNECTED ─drop─▶ RECONNECTING ─backoff, open, welcome─▶ CONNECTED
 *                       └ drop ▶ RECONNECTING     1008, 4001 without a fresh token, close() ─▶ DISCONNECTED
 * </pre>
 *
 * <p>Its state is confined to the {@link Scheduler}'s thread; the public methods may be called
 * from any thread and hop there.
 */
public final class ClientCore implements CommandSink {
    private static final Logger log = LoggerFactory.getLogger(ClientCore.class);
    /** The server's {@code timeoutMs} when its welcome gives none (the server's default heartbeat timeout). */
    static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
    /** How long {@link #close()} waits for a listener that is running. */
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final ClientSettings settings;
    private final Scheduler scheduler;
    private final Transport transport;
    private final Backoff backoff;
    private final Channels channels;
    private final Publishes publishes;
    private volatile ConnectionStatus status;
    /** Set by {@link #close()} on the caller's thread: nothing new is accepted. */
    private volatile boolean closing;

    // client thread
    private boolean closed;
    private Attempt attempt;
    private boolean welcomed;
    private int failures;
    private long shutdownDelayMillis = -1;
    private String token;
    private boolean tokenRefused;
    private String refusedToken;
    private Scheduler.Timer openTimer;
    private Scheduler.Timer retryTimer;
    private Scheduler.Timer livenessTimer;
    private long timeoutNanos;
    private long lastFrameNanos;
    private long lastId;
    private final List<CompletableFuture<Void>> waiters = new ArrayList<>();

    public ClientCore(ClientSettings settings, Scheduler scheduler, Transport transport, RandomGenerator random) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.transport = transport;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), random);
        this.channels = new Channels(this, scheduler, backoff);
        this.publishes = new Publishes(this);
    }

    /** The connection's state now; {@link ConnectionState#DISCONNECTED} before {@link #connect()}. */
    public ConnectionState state() {
        ConnectionStatus s = status;
        return s == null ? ConnectionState.DISCONNECTED : s.state();
    }

    /**
     * Starts connecting (again, after a final disconnect); completes once connected, or fails when
     * the client stops before ({@link ConnectionLostException}).
     */
    public CompletableFuture<Void> connect() {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        if (closing) {
            connected.completeExceptionally(ConnectionLostException.disconnected(status));
            return connected;
        }
        scheduler.execute(() -> {
            if (closed) {
                connected.completeExceptionally(ConnectionLostException.disconnected(status));
            } else if (status != null && status.state() == ConnectionState.CONNECTED) {
                connected.complete(null);
            } else {
                waiters.add(connected);
                if (status == null || status.state() == ConnectionState.DISCONNECTED) {
                    failures = 0;
                    tokenRefused = false;
                    setStatus(new ConnectionStatus(ConnectionState.CONNECTING, OptionalInt.empty(), "", Optional.empty()));
                    open();
                }
            }
        });
        return connected;
    }

    /** See {@code HeraldClient.subscribe}. */
    public Subscription subscribe(String channel, SubscribeOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(options, "options");
        if (closing) {
            throw new IllegalStateException("the client is closed");
        }
        return channels.add(channel, options);
    }

    /** See {@code HeraldClient.publish}. */
    public CompletableFuture<Published> publish(String channel, String event, Object data, PublishOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(options, "options");
        CompletableFuture<Published> result = new CompletableFuture<>();
        if (closing) {
            result.completeExceptionally(ConnectionLostException.disconnected(status));
            return result;
        }
        JsonNode tree;
        try {
            tree = data == null ? NullNode.getInstance() : ClientJson.MAPPER.valueToTree(data);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new IllegalArgumentException("data cannot be converted to JSON: " + e.getMessage(), e));
            return result;
        }
        scheduler.execute(() -> {
            if (closed || (status != null && status.state() == ConnectionState.DISCONNECTED)) {
                result.completeExceptionally(ConnectionLostException.disconnected(status));
            } else {
                publishes.add(new Publishes.Pending(channel, event, tree, options, result));
            }
        });
        return result;
    }

    /**
     * Closes the connection (1000) and stops for good: subscriptions end, waiting publishes fail.
     * Returns once done, so no listener runs after it (unless called from one).
     */
    public void close() {
        closing = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduler.execute(() -> {
            if (!closed) {
                closed = true;
                Attempt a = attempt;
                attempt = null;
                welcomed = false;
                cancelTimers();
                if (a != null && a.link != null) {
                    a.link.close(CloseCodes.NORMAL, "client closed");
                }
                stop(CloseCodes.NORMAL, "closed by the client", true);
            }
            done.complete(null);
        });
        if (scheduler.inLoop()) {
            return;
        }
        try {
            done.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("herald client: close did not finish within {} s (a listener still runs?)", CLOSE_WAIT_SECONDS);
        }
    }

    // ---- the connection (client thread) ----

    private void open() {
        retryTimer = null;
        Attempt a = new Attempt();
        attempt = a;
        String t;
        try {
            t = settings.tokenSupplier().isPresent() ? settings.tokenSupplier().get().get() : settings.token().orElse(null);
        } catch (RuntimeException e) {
            ended(a, CloseCodes.ABNORMAL, "the token supplier failed: " + e);
            return;
        }
        if (tokenRefused && Objects.equals(t, refusedToken)) {
            attempt = null;
            stop(CloseCodes.UNAUTHORIZED, "token refused, and the token supplier gave the same one again", false);
            return;
        }
        token = t;
        long timeout = settings.connectTimeout().toNanos();
        openTimer = scheduler.schedule(() -> {
            if (attempt == a && !welcomed) {
                a.abort();
                ended(a, CloseCodes.ABNORMAL, "no welcome within " + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms");
            }
        }, timeout);
        Map<String, String> headers = t == null ? Map.of() : Map.of("Authorization", "Bearer " + t);
        CompletableFuture<Transport.Link> opening;
        try {
            opening = transport.open(settings.uri(), headers, settings.connectTimeout(), a);
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        opening.whenComplete((link, err) -> scheduler.execute(() -> opened(a, link, err)));
    }

    private void opened(Attempt a, Transport.Link link, Throwable err) {
        if (attempt != a) {
            if (link != null) {
                link.abort(); // given up on (timed out, closed) before it opened
            }
            return;
        }
        if (err != null) {
            ended(a, CloseCodes.ABNORMAL, "cannot connect to " + settings.uri() + ": " + describe(err));
        } else if (a.link == null) {
            a.link = link;
        }
    }

    private void received(Attempt a, Transport.Link link, String text) {
        if (attempt != a) {
            return;
        }
        a.link = link;
        lastFrameNanos = scheduler.nanoTime();
        handle(text);
        if (attempt == a) {
            lastFrameNanos = scheduler.nanoTime(); // a slow listener is not a silent server
            link.requestNext();
        }
    }

    private void handle(String text) {
        JsonNode f;
        try {
            f = ClientJson.MAPPER.readTree(text);
        } catch (IOException e) {
            log.warn("herald client: a frame that is not JSON, ignored: {}", ClientJson.abbreviate(text));
            return;
        }
        try {
            switch (f.path("type").asText()) {
                case "welcome" -> welcome(f);
                case "ping" -> send(ClientJson.pong());
                case "message" -> channels.messages(f.path("channel").asText(), List.of(f));
                case "batch" -> channels.messages(f.path("channel").asText(), f.path("messages"));
                case "subscribed" -> channels.subscribed(f);
                case "unsubscribed" -> {
                    if (!f.has("id")) {
                        channels.unsubscribed(f); // with an id: the answer to our own unsubscribe
                    }
                }
                case "lag" -> channels.lag(f);
                case "published" -> publishes.published(f.path("id").asLong(), f);
                case "error" -> error(f);
                case "shutdown" -> shutdownDelayMillis = Math.max(0, f.path("reconnectAfterMs").asLong());
                case "pong" -> {
                    // nothing: the frame itself is the sign of life
                }
                default -> log.debug("herald client: a frame of unknown type, ignored: {}", ClientJson.abbreviate(text));
            }
        } catch (RuntimeException e) {
            log.warn("herald client: a frame could not be handled: {}", ClientJson.abbreviate(text), e);
        }
    }

    private void welcome(JsonNode f) {
        if (welcomed) {
            return;
        }
        welcomed = true;
        cancel(openTimer);
        openTimer = null;
        failures = 0;
        tokenRefused = false;
        shutdownDelayMillis = -1;
        long timeoutMs = f.path("timeoutMs").asLong(DEFAULT_TIMEOUT_MILLIS);
        timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs > 0 ? timeoutMs : DEFAULT_TIMEOUT_MILLIS);
        livenessTimer = scheduler.schedule(this::checkLiveness, timeoutNanos);
        log.debug("herald client: connected to {} as {}", settings.uri(), f.path("connectionId").asText());
        setStatus(new ConnectionStatus(ConnectionState.CONNECTED, OptionalInt.empty(), "", Optional.empty()));
        channels.connected();
        publishes.connected();
        List<CompletableFuture<Void>> ready = List.copyOf(waiters);
        waiters.clear();
        ready.forEach(w -> w.complete(null));
    }

    private void error(JsonNode f) {
        ServerErrorException e = ServerErrorException.of(f.path("code").asText("unknown"), f.path("message").asText(""));
        JsonNode id = f.get("id");
        if (id != null && id.canConvertToLong() && (publishes.error(id.asLong(), e) || channels.error(id.asLong(), e))) {
            return;
        }
        log.warn("herald client: the server answered an error: {}", e.getMessage());
    }

    /** Dead-server detection: no frame for the welcome's {@code timeoutMs} drops the connection. */
    private void checkLiveness() {
        livenessTimer = null;
        Attempt a = attempt;
        if (a == null || !welcomed) {
            return;
        }
        long idle = scheduler.nanoTime() - lastFrameNanos;
        if (idle < timeoutNanos) {
            livenessTimer = scheduler.schedule(this::checkLiveness, timeoutNanos - idle);
            return;
        }
        a.abort();
        ended(a, CloseCodes.ABNORMAL, "no frame from the server for " + TimeUnit.NANOSECONDS.toMillis(idle)
                + " ms (its timeoutMs is " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + ")");
    }

    /** Attempt {@code a} ended with {@code code}: stop for good, or wait and open the next one. */
    private void ended(Attempt a, int code, String reason) {
        if (attempt != a) {
            return;
        }
        attempt = null;
        welcomed = false;
        cancelTimers();
        if (closed) {
            return;
        }
        boolean supplier = settings.tokenSupplier().isPresent();
        if (!CloseCodes.reconnects(code, supplier)) {
            stop(code, reason, false);
            return;
        }
        if (code == CloseCodes.UNAUTHORIZED) {
            tokenRefused = true; // the next attempt needs another token from the supplier
            refusedToken = token;
        }
        long delay;
        if (shutdownDelayMillis >= 0) {
            delay = shutdownDelayMillis; // the server's jittered delay: it spreads its clients itself
            shutdownDelayMillis = -1;
        } else {
            delay = backoff.delayMillis(failures++);
        }
        ConnectionStatus s = new ConnectionStatus(ConnectionState.RECONNECTING, OptionalInt.of(code), reason,
                Optional.of(java.time.Duration.ofMillis(delay)));
        log.info("herald client: connection to {} ended ({}); reconnecting in {} ms", settings.uri(), s, delay);
        channels.disconnected();
        publishes.disconnected(s);
        setStatus(s);
        retryTimer = scheduler.schedule(this::open, TimeUnit.MILLISECONDS.toNanos(delay));
    }

    /** Stops for good ({@code closed}) or until {@link #connect()} is called again. */
    private void stop(int code, String reason, boolean closedByApplication) {
        cancelTimers();
        ConnectionStatus s = new ConnectionStatus(ConnectionState.DISCONNECTED, OptionalInt.of(code), reason, Optional.empty());
        if (!closedByApplication) {
            log.warn("herald client: disconnected from {} for good ({})", settings.uri(), s);
        }
        channels.stopped(s, closedByApplication);
        publishes.stopped(s);
        boolean already = status != null && status.state() == ConnectionState.DISCONNECTED;
        if (!already) {
            setStatus(s);
        }
        List<CompletableFuture<Void>> failed = List.copyOf(waiters);
        waiters.clear();
        failed.forEach(w -> w.completeExceptionally(ConnectionLostException.failed("not connected: " + s, null)));
    }

    private void setStatus(ConnectionStatus s) {
        status = s;
        Listeners.call(settings.onStatus(), s, "onStatus");
    }

    private void cancelTimers() {
        cancel(openTimer);
        cancel(retryTimer);
        cancel(livenessTimer);
        openTimer = null;
        retryTimer = null;
        livenessTimer = null;
    }

    private static void cancel(Scheduler.Timer t) {
        if (t != null) {
            t.cancel();
        }
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    // ---- CommandSink ----

    @Override
    public boolean connected() {
        return attempt != null && welcomed;
    }

    @Override
    public long nextId() {
        return ++lastId;
    }

    @Override
    public void send(String command) {
        attempt.link.send(command);
    }

    /**
     * One connection attempt and, once open, its link. Its events hop to the client's thread, where
     * those of an attempt that is no longer current are ignored.
     */
    private final class Attempt implements Transport.Receiver {
        Transport.Link link;

        void abort() {
            if (link != null) {
                link.abort();
            }
        }

        @Override
        public void text(Transport.Link from, String text) {
            scheduler.execute(() -> received(this, from, text));
        }

        @Override
        public void closed(Transport.Link from, int code, String reason) {
            scheduler.execute(() -> ended(this, code, reason));
        }

        @Override
        public void failed(Transport.Link from, Throwable error) {
            scheduler.execute(() -> ended(this, CloseCodes.ABNORMAL, describe(error)));
        }
    }
}
