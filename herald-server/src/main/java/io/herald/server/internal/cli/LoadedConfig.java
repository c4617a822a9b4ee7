package io.herald.server.internal.cli;

import io.herald.HeraldConfig;
import io.herald.server.AuthConfig;
import io.herald.server.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated configuration, ready to start Herald with. Immutable.
 *
 * @param server           the Netty server's settings
 * @param core             namespace options: defaults and per-namespace overrides
 * @param storage          where history is kept ({@code history.store}, {@code history.dir}, {@code history.flushInterval})
 * @param logLevel         level of the {@code io.herald} loggers, lower case (default {@code info})
 * @param logLevels        levels of other loggers, by logger (package) name
 * @param configFile       the config file that was read, if any
 * @param ignoredVariables names (never values) of {@code HERALD_*} environment variables that are not settings
 * @param authSettings     the settings that say who may connect or publish ({@code auth.jwt.*},
 *                         {@code auth.apiKeys.*}, {@code auth.anonymous}), each as its key and where it
 *                         came from (never its value), e.g. {@code auth.jwt.secret from HERALD_AUTH_JWT_SECRET};
 *                         empty when none is configured
 */
public record LoadedConfig(ServerConfig server, HeraldConfig core, StorageConfig storage, String logLevel, Map<String, String> logLevels,
        Optional<Path> configFile, List<String> ignoredVariables, List<String> authSettings) {

    /** The level of the {@code io.herald} loggers when none is configured. */
    public static final String DEFAULT_LOG_LEVEL = "info";

    public LoadedConfig {
        logLevels = Map.copyOf(logLevels);
        ignoredVariables = List.copyOf(ignoredVariables);
        authSettings = List.copyOf(authSettings);
    }

    /** Whether any source configured who may connect or publish; see {@link #authSettings()}. */
    public boolean authConfigured() {
        return !authSettings.isEmpty();
    }

    /** This configuration with {@code auth} in place of the server's authentication settings. */
    public LoadedConfig withAuth(AuthConfig auth) {
        return new LoadedConfig(server.toBuilder().auth(auth).build(), core, storage, logLevel, logLevels, configFile,
                ignoredVariables, authSettings);
    }
}
