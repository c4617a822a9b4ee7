package io.herald.examples.support;

import io.herald.Herald;
import io.herald.HeraldClock;
import io.herald.HeraldConfig;
import io.herald.server.AuthConfig;
import io.herald.server.HeraldServer;
import io.herald.server.ServerConfig;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every example stands on: its page's {@link ExampleSite}, an embedded Herald that verifies
 * the tokens the site mints ({@link DevTokens}, a secret made at start) and lets the site's origin
 * in, and an orderly stop: the example's own work first (publishers, timers, services, last
 * registered first), then Herald (pages are told to come back later), then the site.
 *
 * <pre>{@code
 * ExampleStack stack = ExampleStack.start(host, port, heraldPort, "io/herald/examples/x/site", config, false);
 * ScheduledExecutorService timer = stack.timer("x-publisher");
 * stack.site().route("GET", "/api/token", r -> Reply.text(stack.tokens().mint("viewer", List.of("x:*"), ttl)));
 * stack.awaitClose("x-shutdown"); // blocks until Ctrl-C
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ExampleStack implements AutoCloseable {
    private final String host;
    private final ExampleSite site;
    private final DevTokens tokens;
    private final String publishKey;
    private final HeraldServer server;
    private final Herald herald;
    private final Deque<AutoCloseable> work = new ArrayDeque<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private ExampleStack(String host, ExampleSite site, DevTokens tokens, String publishKey, HeraldServer server, Herald herald) {
        this.host = host;
        this.site = site;
        this.tokens = tokens;
        this.publishKey = publishKey;
        this.server = server;
        this.herald = herald;
    }

    /**
     * Serves the page from the classpath folder {@code siteRoot} on {@code host:port} and starts
     * Herald with {@code config} on {@code host:heraldPort} (0 for free ports); with
     * {@code publishKey}, Herald also takes publishes over HTTP with a random API key
     * ({@link #publishKey()}), as a backend in another process would publish.
     */
    public static ExampleStack start(String host, int port, int heraldPort, String siteRoot, HeraldConfig config,
            boolean publishKey) {
        HeraldClock clock = HeraldClock.SYSTEM;
        DevTokens tokens = DevTokens.random(clock);
        String key = publishKey ? randomKey() : null;
        ExampleSite site = ExampleSite.start(host, port, siteRoot);
        try {
            AuthConfig.Builder auth = AuthConfig.newBuilder().jwtSecret(tokens.secret()).allowedOrigins(site.origins());
            if (key != null) {
                auth.publishApiKeys(List.of(key));
            }
            HeraldServer server = HeraldServer.create(ServerConfig.newBuilder().host(host).port(heraldPort).auth(auth.build()).build());
            Herald herald = Herald.builder().config(config).clock(clock).transport(server).start();
            return new ExampleStack(host, site, tokens, key, server, herald);
        } catch (RuntimeException e) {
            site.close();
            throw e;
        }
    }

    private static String randomKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public ExampleSite site() {
        return site;
    }

    public Herald herald() {
        return herald;
    }

    public DevTokens tokens() {
        return tokens;
    }

    /** The publish API key, when the stack was started with one; else null. */
    public String publishKey() {
        return publishKey;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8091}. */
    public String pageUrl() {
        return site.uri().toString();
    }

    /** Herald's HTTP address, e.g. {@code http://127.0.0.1:8090}. */
    public String heraldUrl() {
        return "http://" + host + ":" + server.port();
    }

    /** Herald's port (the one asked for, or the free one it got). */
    public int heraldPort() {
        return server.port();
    }

    /** Closes {@code part} when the stack closes, before Herald; returns it. */
    public synchronized <T extends AutoCloseable> T closing(T part) {
        work.push(part);
        return part;
    }

    /** A single daemon thread for the example's scheduled work, stopped when the stack closes. */
    public ScheduledExecutorService timer(String threadName) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        closing(timer::shutdownNow);
        return timer;
    }

    /** Closes the stack on Ctrl-C (a shutdown hook) and blocks until it is closed. */
    public void awaitClose(String hookName) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, hookName));
        closed.await();
    }

    /** The example's work (last registered first), then Herald, then the site; once. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            while (!work.isEmpty()) {
                try {
                    work.pop().close();
                } catch (Exception e) {
                    org.slf4j.LoggerFactory.getLogger(ExampleStack.class).warn("stopping an example's work failed", e);
                }
            }
        }
        herald.close();
        site.close();
        closed.countDown();
    }
}
