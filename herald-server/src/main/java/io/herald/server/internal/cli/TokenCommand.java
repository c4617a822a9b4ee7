package io.herald.server.internal.cli;

import io.herald.HeraldClock;
import io.herald.server.AuthConfig;
import io.herald.server.JwtAlgorithm;
import io.herald.server.internal.auth.TokenMinter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code herald token}: prints a development token signed with the configured HS256 secret, read
 * from the same sources as {@code herald serve} (config file, {@code HERALD_*} variables), so the
 * server accepts it. When none of them configures authentication, it signs with the secret of the
 * {@linkplain DevCredentials development credentials} that {@code herald serve} created in the same
 * working directory, as the server then does.
 *
 * <pre>
 * herald token --sub alice --channels 'scan:*,user:alice' --publish 'scan:*' --ttl 1h
 * </pre>
 *
 * <p>Only the token goes to standard output, so {@code TOKEN=$(herald token ...)} works. Exit codes:
 * 0 when printed; 2 for a usage error, an invalid configuration, no secret, or a server that
 * verifies RS256/ES256 (those need a private key, which Herald never holds).
 */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = HeraldCommand.Version.class,
        sortOptions = false,
        description = "Prints a development token (HS256) signed with the configured secret (auth.jwt.secret).")
final class TokenCommand implements Callable<Integer> {
    /** The configuration cannot mint, or an argument is invalid. */
    static final int EXIT_CANNOT_MINT = 2;
    /** The longest lifetime {@code --ttl} accepts: long enough for any development use. */
    static final Duration MAX_TTL = Duration.ofDays(365);

    @Spec
    private CommandSpec spec;

    @Option(names = "--sub", required = true, paramLabel = "USER", description = "The user (sub claim); owns channel user:USER.")
    private String subject;

    @Option(names = "--channels", split = ",", paramLabel = "PATTERNS",
            description = "Channels it may subscribe to, comma-separated; * matches within a namespace (scan:*), ** across ':'.")
    private List<String> channels = new ArrayList<>();

    @Option(names = "--publish", split = ",", paramLabel = "PATTERNS", description = "Channels it may publish to (default none).")
    private List<String> publish = new ArrayList<>();

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h",
            description = "Lifetime, e.g. 15m, 1h, 24h (default 1h).")
    private String ttl;

    @Option(names = "--admin", description = "Grants every channel and the HTTP admin API (admin: true).")
    private boolean admin;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (default: $HERALD_CONFIG, else none).")
    private Path configFile;

    private final Map<String, String> environment;
    private final HeraldClock clock;
    private final Path workingDirectory;

    /** {@code workingDirectory} is where {@code herald serve} keeps its development credentials. */
    TokenCommand(Map<String, String> environment, HeraldClock clock, Path workingDirectory) {
        this.environment = environment;
        this.clock = clock;
        this.workingDirectory = workingDirectory;
    }

    @Override
    public Integer call() {
        String token;
        try {
            LoadedConfig config = load();
            AuthConfig auth = config.server().auth();
            Optional<DevCredentials> dev = devCredentials(config);
            if (dev.isPresent()) {
                auth = dev.get().applyTo(auth);
            }
            Optional<String> cannot = cannotMint(auth, config);
            if (cannot.isPresent()) {
                return fail(cannot.get());
            }
            token = TokenMinter.create(auth, clock).mint(subject, trimmed(channels), trimmed(publish), admin, lifetime());
        } catch (ConfigException e) {
            return fail("invalid configuration: " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return fail(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(token);
        out.flush();
        return 0;
    }

    private int fail(String problem) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("herald: " + problem);
        err.flush();
        return EXIT_CANNOT_MINT;
    }

    private LoadedConfig load() {
        ConfigLoader loader = new ConfigLoader(environment);
        if (configFile != null) {
            loader.configFile(configFile);
        }
        return loader.load();
    }

    /** The development credentials, when {@code herald serve} would use them and has created them. */
    private Optional<DevCredentials> devCredentials(LoadedConfig config) {
        if (config.authConfigured() || !DevCredentials.isLoopback(config.server().host())) {
            return Optional.empty();
        }
        Path file = DevCredentials.file(workingDirectory);
        Optional<DevCredentials> dev = DevCredentials.read(file);
        dev.ifPresent(d -> {
            PrintWriter err = spec.commandLine().getErr();
            err.println("herald: no authentication configured; signed with the development secret in " + file);
            err.flush();
        });
        return dev;
    }

    private Optional<String> cannotMint(AuthConfig auth, LoadedConfig config) {
        Optional<JwtAlgorithm> algorithm = auth.jwtAlgorithm();
        if (algorithm.isEmpty()) {
            List<String> lines = new ArrayList<>();
            if (config.authConfigured()) {
                lines.add("the configured authentication (" + String.join(", ", config.authSettings())
                        + ") has no token secret, so there is nothing to sign with.");
            } else if (DevCredentials.isLoopback(config.server().host())) {
                lines.add("no token secret is configured, and there are no development credentials in "
                        + DevCredentials.file(workingDirectory) + " yet.");
                lines.add("Start 'herald serve' once in this directory: with no authentication configured it creates them.");
            } else {
                lines.add("no token secret is configured, and development credentials are not used for host "
                        + config.server().host() + ", which other machines can reach.");
            }
            lines.add("To sign with your own secret, give the same value to 'herald serve' and 'herald token':");
            lines.add("  export " + ConfigKeys.environmentName("auth.jwt.secret") + "=$(openssl rand -hex 32)");
            lines.add("or set auth.jwt.secret in the config file.");
            return Optional.of(String.join(System.lineSeparator(), lines));
        }
        if (algorithm.get() != JwtAlgorithm.HS256) {
            return Optional.of(String.join(System.lineSeparator(),
                    "this server verifies " + algorithm.get() + " tokens with a public key; signing one needs the"
                            + " private key, which Herald never holds.",
                    "Sign tokens where the private key lives (your identity provider or backend) with the claims"
                            + " sub, exp, channels and publish."));
        }
        return Optional.empty();
    }

    private Duration lifetime() {
        Duration d;
        try {
            d = Units.duration(ttl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--ttl: " + e.getMessage(), e);
        }
        if (d.isZero() || d.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("--ttl must be between 1ms and " + MAX_TTL.toHours() + "h, was " + ttl);
        }
        return d;
    }

    private static List<String> trimmed(List<String> patterns) {
        return patterns.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
