package io.herald.server.internal.cli;

import static io.herald.server.internal.cli.ConfigKeys.AUTH;
import static io.herald.server.internal.cli.ConfigKeys.CONFIG_VARIABLE;
import static io.herald.server.internal.cli.ConfigKeys.DEFAULTS;
import static io.herald.server.internal.cli.ConfigKeys.LOG_LEVEL;
import static io.herald.server.internal.cli.ConfigKeys.NAMESPACE;
import static io.herald.server.internal.cli.ConfigKeys.NAMESPACES;
import static io.herald.server.internal.cli.ConfigKeys.PRESET;
import static io.herald.server.internal.cli.ConfigKeys.SERVER;
import static io.herald.server.internal.cli.ConfigKeys.CORE;
import static io.herald.server.internal.cli.ConfigKeys.STORAGE;

import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.herald.Preset;
import io.herald.server.AuthConfig;
import io.herald.server.ServerConfig;
import io.herald.server.internal.cli.ConfigKeys.Option;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Loads Herald's configuration (SPEC §4, §11) from, in increasing precedence: the built-in
 * defaults, a YAML config file, {@code HERALD_*} environment variables, and command-line flags.
 *
 * <p>The global {@code preset} is applied first, to the server settings and to the namespace
 * defaults; every explicitly set key then overrides it, whichever source set it. A namespace
 * starts from the resolved defaults, applies its own {@code preset}, then its own keys.
 *
 * <pre>{@code
 * LoadedConfig config = new ConfigLoader(System.getenv())
 *         .configFile(Path.of("herald.yml"))
 *         .flag("--port", "port", "9090")
 *         .set("heartbeat.interval=2s")
 *         .load();
 * }</pre>
 *
 * <p>Environment variables are {@code HERALD_} and the key path in upper snake case
 * ({@code limits.maxMessageSize} is {@code HERALD_LIMITS_MAX_MESSAGE_SIZE}); lists are
 * comma-separated. {@value ConfigKeys#CONFIG_VARIABLE} names the config file when none is given.
 * Other {@code HERALD_*} variables are ignored and reported by name only.
 *
 * <p>Not thread-safe; use one loader per load.
 */
public final class ConfigLoader {
    private final Map<String, String> environment;
    private final List<Setting> flags = new ArrayList<>();
    private Optional<Path> configFile = Optional.empty();

    /** @param environment the process environment, e.g. {@link System#getenv()} */
    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /** The YAML config file to read; without one, {@code HERALD_CONFIG} names it, if set. */
    public ConfigLoader configFile(Path file) {
        configFile = Optional.of(file);
        return this;
    }

    /**
     * A value given by a dedicated command-line flag, e.g. {@code flag("--port", "port", "9090")}.
     * Flags override every other source; among flags, the last one for a key wins.
     */
    public ConfigLoader flag(String flag, String path, String value) {
        flags.add(Setting.scalar(path, value, "from " + flag));
        return this;
    }

    /**
     * A {@code --set key.path=value} flag, e.g. {@code namespaces.scan.throttle.rate=5}.
     *
     * @throws ConfigException when {@code assignment} has no {@code =} or no key
     */
    public ConfigLoader set(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw ConfigException.badFlag("--set expects key.path=value, e.g. heartbeat.interval=2s; got '"
                    + assignment + "'");
        }
        flags.add(Setting.scalar(assignment.substring(0, eq).trim(), assignment.substring(eq + 1), "from --set"));
        return this;
    }

    /**
     * Reads every source and builds the configuration.
     *
     * @throws ConfigException naming the key, the problem and where the value came from
     */
    public LoadedConfig load() {
        Settings settings = new Settings();
        Optional<Path> file = configFile.or(() -> Optional.ofNullable(environment.get(CONFIG_VARIABLE))
                .filter(s -> !s.isBlank()).map(Path::of));
        file.ifPresent(f -> YamlSettings.read(f, configFile.isPresent() ? "" : "from " + CONFIG_VARIABLE, settings));
        List<String> ignored = addEnvironment(settings);
        flags.forEach(settings::add);
        return build(settings, file, ignored);
    }

    private List<String> addEnvironment(Settings settings) {
        List<String> ignored = new ArrayList<>();
        new TreeMap<>(environment).forEach((name, value) -> {
            if (!name.startsWith("HERALD_") || name.equals(CONFIG_VARIABLE)) {
                return;
            }
            String path = ConfigKeys.ENVIRONMENT.get(name);
            if (path == null) {
                ignored.add(name);
            } else {
                settings.add(Setting.scalar(path, value, "from " + name));
            }
        });
        return ignored;
    }

    private static LoadedConfig build(Settings settings, Optional<Path> file, List<String> ignored) {
        Map<String, Setting> global = settings.global();
        Optional<Setting> presetSetting = Optional.ofNullable(global.get(PRESET));
        Optional<Preset> preset = presetSetting.map(s -> parse(s, Preset::of));

        ServerConfig.Builder server = ServerConfig.newBuilder();
        NamespaceOptions.Builder defaults = NamespaceOptions.newBuilder();
        preset.ifPresent(p -> {
            server.preset(p);
            defaults.preset(p);
        });
        // presets leave authentication alone
        AuthConfig auth = build(AuthConfig.newBuilder(), AUTH, "", global, Optional.empty(), AuthConfig.Builder::build);
        ServerConfig serverConfig = build(server.auth(auth), SERVER, "", global, presetSetting, ServerConfig.Builder::build);
        NamespaceOptions defaultOptions =
                build(defaults, NAMESPACE, DEFAULTS + ".", global, presetSetting, NamespaceOptions.Builder::build);

        Map<String, NamespaceOptions> namespaces = new LinkedHashMap<>();
        settings.namespaces().forEach((name, own) -> {
            String prefix = NAMESPACES + "." + name + ".";
            NamespaceOptions.Builder options = defaultOptions.toBuilder();
            Optional<Setting> ownPreset = Optional.ofNullable(own.get(prefix + PRESET));
            ownPreset.ifPresent(s -> options.preset(parse(s, Preset::of)));
            namespaces.put(name, build(options, NAMESPACE, prefix, own, ownPreset.or(() -> presetSetting),
                    NamespaceOptions.Builder::build));
        });
        HeraldConfig core = build(HeraldConfig.newBuilder().defaults(defaultOptions).namespaces(namespaces), CORE, "",
                global, Optional.empty(), HeraldConfig.Builder::build);
        StorageConfig storage = build(new StorageConfig.Builder(), STORAGE, "", global, Optional.empty(),
                StorageConfig.Builder::build);

        String logLevel = Optional.ofNullable(global.get(LOG_LEVEL)).map(s -> parse(s, Units::logLevel))
                .orElse(LoadedConfig.DEFAULT_LOG_LEVEL);
        Map<String, String> logLevels = new LinkedHashMap<>();
        settings.logLevels().forEach((logger, s) -> logLevels.put(logger, parse(s, Units::logLevel)));
        List<String> authSettings = global.values().stream().filter(s -> ConfigKeys.isCredential(s.path()))
                .map(s -> s.path() + " " + s.source()).sorted().toList();
        return new LoadedConfig(serverConfig, core, storage, logLevel, logLevels, file, ignored, authSettings);
    }

    /** Applies the settings under {@code prefix} to {@code builder}, then builds, explaining a rejection. */
    private static <B, T> T build(B builder, Map<String, Option<B>> options, String prefix, Map<String, Setting> settings,
            Optional<Setting> preset, Function<B, T> build) {
        options.forEach((key, option) -> {
            Setting s = settings.get(prefix + key);
            if (s != null) {
                try {
                    option.apply(builder, s);
                } catch (IllegalArgumentException e) {
                    throw ConfigException.badValue(s, e.getMessage());
                }
            }
        });
        try {
            return build.apply(builder);
        } catch (IllegalArgumentException e) {
            throw explain(e.getMessage(), prefix, options.keySet(), settings, preset);
        }
    }

    /**
     * Turns a builder's message, which starts with the key relative to {@code prefix} (e.g.
     * {@code "port must be between 0 and 65535, was 70000"}), into one that names the full key
     * and where the values involved came from.
     */
    private static ConfigException explain(String message, String prefix, Set<String> keys, Map<String, Setting> settings,
            Optional<Setting> preset) {
        String lead = message.split(" ", 2)[0];
        String problem;
        if (keys.contains(lead) && message.startsWith(lead + " must ")) {
            problem = prefix + lead + ": " + message.substring(lead.length() + 1);
        } else {
            problem = prefix.isEmpty() ? message : prefix.substring(0, prefix.length() - 1) + ": " + message;
        }
        Set<String> mentioned = new LinkedHashSet<>();
        for (String word : message.split("[\\s(),;]+")) {
            if (keys.contains(word)) {
                mentioned.add(word);
            }
        }
        List<Setting> involved = mentioned.stream().map(k -> settings.get(prefix + k)).filter(Objects::nonNull).toList();
        List<String> sources = new ArrayList<>();
        if (involved.size() == 1 && mentioned.size() == 1 && involved.get(0).path().equals(prefix + lead)) {
            sources.add(involved.get(0).source());
        } else {
            involved.forEach(s -> sources.add(s.path() + " " + s.source()));
            if (involved.size() < mentioned.size()) {
                preset.ifPresent(s -> sources.add("preset '" + s.text().trim() + "' " + s.source()));
            }
        }
        return ConfigException.invalid(problem, sources);
    }

    private static <T> T parse(Setting s, Function<String, T> parser) {
        try {
            return parser.apply(s.text());
        } catch (IllegalArgumentException e) {
            throw ConfigException.badValue(s, e.getMessage());
        }
    }
}
