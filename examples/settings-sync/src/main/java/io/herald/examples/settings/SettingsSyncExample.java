package io.herald.examples.settings;

import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.herald.examples.support.DevTokens;
import io.herald.examples.support.ExampleStack;
import io.herald.examples.support.ExampleSite.Reply;
import io.herald.examples.support.HttpPublisher;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
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

    private ExampleStack stack;
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
        System.out.printf("%nSettings sync: open %s/ in two or more tabs (Herald on %s). Ctrl-C stops.%n%n",
                stack.pageUrl(), stack.heraldUrl());
        stack.awaitClose("settings-sync-shutdown");
        return 0;
    }

    SettingsSyncExample start() {
        HeraldConfig config = HeraldConfig.newBuilder()
                .namespaces(Map.of("settings", NamespaceOptions.newBuilder().retained(true).retainedMaxKeys(1000)
                        .critical(Set.of("reloaded")).build()))
                .build();
        stack = ExampleStack.start(host, port, heraldPort, "io/herald/examples/settings/site", config, true);
        settings = new Settings(CHANNEL, new HttpPublisher(URI.create(stack.heraldUrl()), stack.publishKey()));
        settings.publishAll();
        DevTokens tokens = stack.tokens();
        stack.site().route("GET", "/api/config", r -> Reply.json(Map.of("herald", stack.heraldUrl(), "channel", CHANNEL,
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
        return stack.pageUrl();
    }

    String heraldUrl() {
        return stack.heraldUrl();
    }

    /** Stops Herald (pages are told to come back later), then the site. */
    @Override
    public void close() {
        if (stack != null) {
            stack.close();
        }
    }
}
