package io.herald.server.internal.cli;

import io.herald.Herald;
import io.herald.HeraldClock;
import io.herald.server.HeraldServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code herald serve}: loads the configuration, starts Herald with its server, and runs until the
 * JVM is asked to exit (SIGTERM, SIGINT), then shuts down gracefully (SPEC §11).
 *
 * <p>When nothing configures authentication and the server binds a loopback address, it uses
 * {@linkplain DevCredentials development credentials} and prints how to try it: a {@code wscat} line
 * with a short-lived token and a {@code curl} line with the admin key.
 *
 * <p>Exit codes: 0 after a graceful shutdown, 1 when the server cannot start (e.g. the port is in
 * use, or the development credentials cannot be written), 2 when the configuration is invalid.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = HeraldCommand.Version.class,
        sortOptions = false,
        description = "Starts the Herald server and runs until SIGTERM or SIGINT, then shuts down gracefully.")
final class ServeCommand implements Callable<Integer> {
    /** The configuration is invalid. */
    static final int EXIT_BAD_CONFIG = ConfigException.EXIT_CODE;
    /** The server could not start, e.g. because its port is taken. */
    static final int EXIT_START_FAILED = 1;

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (default: $HERALD_CONFIG, else none).")
    private Path configFile;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to bind (default 127.0.0.1).")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to bind; 0 picks a free one (default 8080).")
    private String port;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Preset to start from (default standard); the presets are listed below.")
    private String preset;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "Level of Herald's own logs: trace, debug, info, warn, error or off (default info).")
    private String logLevel;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Sets any config key, e.g. --set heartbeat.interval=2s; repeatable.")
    private List<String> sets = new ArrayList<>();

    private final Map<String, String> environment;
    private final Lifetime lifetime;
    private final Path workingDirectory;
    private final HeraldClock clock;

    /** {@code workingDirectory} holds the development credentials ({@value DevCredentials#RELATIVE_PATH}). */
    ServeCommand(Map<String, String> environment, Lifetime lifetime, Path workingDirectory, HeraldClock clock) {
        this.environment = environment;
        this.lifetime = lifetime;
        this.workingDirectory = workingDirectory;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        LoadedConfig config;
        try {
            config = loader().load();
        } catch (ConfigException e) {
            err.println("herald: invalid configuration: " + e.getMessage());
            err.flush();
            return e.exitCode();
        }
        LogLevels.apply(config);
        logConfig(config);
        Optional<DevCredentials> dev;
        try {
            dev = devCredentials(config);
        } catch (IllegalStateException e) {
            err.println("herald: " + e.getMessage());
            err.flush();
            return EXIT_START_FAILED;
        }
        if (dev.isPresent()) {
            config = config.withAuth(dev.get().applyTo(config.server().auth()));
        }
        HeraldServer server = HeraldServer.create(config.server());
        Herald herald;
        try {
            // the engine opens its store here: a damaged or locked data directory fails the start, with what to do
            herald = Herald.builder().config(config.core()).engine(config.storage().newEngine(workingDirectory))
                    .transport(server).start();
        } catch (IllegalStateException e) {
            err.println("herald: " + e.getMessage());
            err.flush();
            return EXIT_START_FAILED;
        }
        if (dev.isPresent()) {
            PrintWriter out = spec.commandLine().getOut();
            DevQuickStart.lines(config.server().auth(), dev.get(), DevCredentials.file(workingDirectory),
                    config.server().host(), server.port(), clock).forEach(out::println);
            out.flush();
        }
        lifetime.run(herald, server);
        return 0;
    }

    /**
     * The development credentials to use, created if need be: only when no source configures
     * authentication and the server binds a loopback address. Says in the log which applies.
     */
    private Optional<DevCredentials> devCredentials(LoadedConfig config) {
        if (config.authConfigured()) {
            log.info("authentication configured ({}); development credentials are not used",
                    String.join(", ", config.authSettings()));
            return Optional.empty();
        }
        String host = config.server().host();
        if (!DevCredentials.isLoopback(host)) {
            log.warn("no authentication configured, and {} is not a loopback address: development credentials are"
                    + " for this machine only, so none are used and nobody can connect or publish. Configure"
                    + " auth.jwt.secret and auth.apiKeys.admin (see docs/SECURITY.md), or bind 127.0.0.1", host);
            return Optional.empty();
        }
        Path file = DevCredentials.file(workingDirectory);
        DevCredentials.Loaded loaded = DevCredentials.readOrCreate(file);
        log.info("no authentication configured: {} the development credentials in {} (for this machine only;"
                + " not used once auth.jwt.*, auth.apiKeys.* or auth.anonymous is configured)",
                loaded.created() ? "created" : "using", file);
        if (DevCredentials.readableByOthers(file)) {
            log.warn("{} may be read or changed by other users; restrict it with: chmod 600 {}", file, file);
        }
        return Optional.of(loaded.credentials());
    }

    private ConfigLoader loader() {
        ConfigLoader loader = new ConfigLoader(environment);
        if (configFile != null) {
            loader.configFile(configFile);
        }
        flag(loader, "--host", "host", host);
        flag(loader, "--port", "port", port);
        flag(loader, "--preset", ConfigKeys.PRESET, preset);
        flag(loader, "--log-level", ConfigKeys.LOG_LEVEL, logLevel);
        sets.forEach(loader::set);
        return loader;
    }

    private static void flag(ConfigLoader loader, String flag, String path, String value) {
        if (value != null) {
            loader.flag(flag, path, value);
        }
    }

    private static void logConfig(LoadedConfig config) {
        log.info("Herald {} starting with {}", HeraldCommand.Version.version(),
                config.configFile().map(f -> "config file " + f).orElse("no config file"));
        if (!config.ignoredVariables().isEmpty()) {
            log.info("ignoring environment variables that are not Herald settings: {}",
                    String.join(", ", config.ignoredVariables()));
        }
        log.debug("{}", config.server());
        log.debug("{}", config.core());
        log.info("history store: {}", config.storage().store() == StorageConfig.Store.MEMORY ? "memory"
                : "disk, " + config.storage().dir() + ", flushed every " + config.storage().flushInterval().toMillis() + " ms");
    }

    /** What {@code serve} does while Herald runs. Returns once Herald has been closed. */
    @FunctionalInterface
    interface Lifetime {
        void run(Herald herald, HeraldServer server);

        /**
         * Blocks until the JVM is asked to exit, closing Herald gracefully in a shutdown hook. The
         * hook, not the caller, closes Herald because once shutdown begins the JVM waits for its
         * hooks but not for the main thread.
         */
        static void untilJvmShutdown(Herald herald, HeraldServer server) {
            CountDownLatch closed = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    herald.close();
                } finally {
                    closed.countDown();
                }
            }, "herald-shutdown"));
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                herald.close();
            }
        }
    }
}
