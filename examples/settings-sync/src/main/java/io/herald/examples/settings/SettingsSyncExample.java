package io.herald.examples.settings;

import io.herald.Herald;
import io.herald.HeraldClock;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.herald.examples.support.DevTokens;
import io.herald.examples.support.ExampleSite;
import io.herald.examples.support.ExampleSite.Reply;
import io.herald.examples.support.HttpPublisher;
import io.herald.server.AuthConfig;
import io.herald.server.HeraldServer;
import io.herald.server.ServerConfig;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The settings sync example: Herald embedded, a tenant's 200 settings ({@link Settings}) and the
 * React page that shows and changes them, served by the example's own site. Started by
 * {@code examples/settings-sync/run}; see the README beside it.
 *
 * <p>The site answers: where Herald is and the presets ({@code GET /api/config}), a connection
 * token ({@code GET /api/token}), the current values ({@code GET /api/settings}), a change
 * ({@code POST /api/settings} {@code {"key","value"}}) and a preset ({@code POST /api/presets/{name}}).
 * Changes go to Herald from this backend, with a publish key the browser never sees.
 */
@Command(name = "settings-sync", mixinStandardHelpOptions = true, sortOptions = false, version = "Herald example: settings sync",
        description = "Keeps a tenant's settings in sync across every open tab, through an embedded Herald.")
public final class SettingsSyncExample implements Callable<Integer>, AutoCloseable {
    static final String CHANNEL = "settings:acme";

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address of the page and of Herald (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8097", description = "The page's port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--herald-port", defaultValue = "8096", description = "Herald's port (default: ${DEFAULT-VALUE}).")
    int heraldPort;

    private final CountDownLatch closed = new CountDownLatch(1);
    private ExampleSite site;
    private Herald herald;
    private HeraldServer server;
    private Settings settings;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SettingsSyncExample()).execute(args));
    }

    /** Starts with the options as given on a command line, e.g. {@code "--port", "0"} (tests). */
    static SettingsSyncExample start(String... args) {
        return CommandLine.populateCommand(new SettingsSyncExample(), args).start();
    }

    @Override
    public Integer call() throws InterruptedException {
        start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "settings-sync-shutdown"));
        System.out.printf("%nSettings sync: open %s/ in two or more tabs (Herald on %s). Ctrl-C stops.%n%n", site.uri(), heraldUrl());
        closed.await();
        return 0;
    }

    SettingsSyncExample start() {
        HeraldClock clock = HeraldClock.SYSTEM;
        DevTokens tokens = DevTokens.random(clock);
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String publishKey = HexFormat.of().formatHex(bytes);
        site = ExampleSite.start(host, port, "io/herald/examples/settings/site");
        HeraldConfig config = HeraldConfig.newBuilder()
                .namespaces(Map.of("settings", NamespaceOptions.newBuilder().retained(true).retainedMaxKeys(1000)
                        .critical(Set.of("reloaded")).build()))
                .build();
        server = HeraldServer.create(ServerConfig.newBuilder().host(host).port(heraldPort)
                .auth(AuthConfig.newBuilder().jwtSecret(tokens.secret()).publishApiKeys(List.of(publishKey))
                        .allowedOrigins(site.origins()).build())
                .build());
        herald = Herald.builder().config(config).clock(clock).transport(server).start();
        settings = new Settings(CHANNEL, new HttpPublisher(URI.create(heraldUrl()), publishKey));
        settings.publishAll();
        site.route("GET", "/api/config", r -> Reply.json(Map.of("herald", heraldUrl(), "channel", CHANNEL,
                        "presets", Settings.presets().keySet().stream().sorted().toList(), "presetSize", Settings.PRESET_SIZE)))
                .route("GET", "/api/token", r -> Reply.text(tokens.mint("viewer", List.of(CHANNEL), Duration.ofMinutes(15))))
                .route("GET", "/api/settings", r -> Reply.json(settings.values()))
                .route("POST", "/api/settings", r -> {
                    settings.set(r.json().path("key").asText(""), r.json().path("value").asText(""));
                    return Reply.json(Map.of("ok", true));
                })
                .route("POST", "/api/presets/", r -> Reply.json(settings.apply(r.rest("/api/presets/"))));
        return this;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8097}. */
    String pageUrl() {
        return site.uri().toString();
    }

    String heraldUrl() {
        return "http://" + host + ":" + server.port();
    }

    /** Stops Herald (pages are told to come back later), then the site. */
    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        if (herald != null) {
            herald.close();
        }
        if (site != null) {
            site.close();
        }
        closed.countDown();
    }
}
