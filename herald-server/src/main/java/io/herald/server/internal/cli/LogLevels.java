package io.herald.server.internal.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Applies the configured log levels to Logback, the logging backend of the {@code herald} command. */
final class LogLevels {
    /** The logger that {@code log.level} sets; {@code log.levels} sets others by name. */
    static final String HERALD_LOGGER = "io.herald";

    private LogLevels() {
    }

    /**
     * Sets {@code io.herald} to {@link LoadedConfig#logLevel()} and each logger of
     * {@link LoadedConfig#logLevels()} to its level; other loggers keep logback.xml's levels.
     *
     * @return false, changing nothing, when SLF4J is bound to another backend
     */
    static boolean apply(LoadedConfig config) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return false;
        }
        context.getLogger(HERALD_LOGGER).setLevel(Level.toLevel(config.logLevel()));
        config.logLevels().forEach((logger, level) -> context.getLogger(logger).setLevel(Level.toLevel(level)));
        return true;
    }
}
