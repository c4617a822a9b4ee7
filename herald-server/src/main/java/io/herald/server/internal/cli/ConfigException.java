package io.herald.server.internal.cli;

import io.herald.ErrorCode;
import io.herald.HeraldException;
import java.util.List;
import java.util.Optional;

/**
 * The configuration cannot be used. The message names the key, the problem and where the value
 * came from, and is meant to be shown to the operator as it is, without a stack trace.
 *
 * <p>A {@link HeraldException} like every Herald error: its code is {@code bad_request} (the input,
 * here the operator's, is invalid), and what it means to the process is {@link #exitCode()}.
 */
public final class ConfigException extends HeraldException {
    /** The exit status of a command that cannot use its configuration (a usage error, as picocli's). */
    public static final int EXIT_CODE = 2;

    private ConfigException(String message, Throwable cause) {
        super(ErrorCode.BAD_REQUEST, message, cause);
    }

    /** The process exit status for this failure: {@value #EXIT_CODE}. */
    public int exitCode() {
        return EXIT_CODE;
    }

    /** A key that Herald does not know, with the closest known key when one is near. */
    static ConfigException unknownKey(String path, String source, Optional<String> suggestion) {
        return new ConfigException("unknown key '" + path + "' (" + source + ")"
                + suggestion.map(s -> "; did you mean '" + s + "'?").orElse(""), null);
    }

    /** A value that cannot be parsed or is out of range: {@code key: problem (source)}. */
    static ConfigException badValue(Setting setting, String problem) {
        return new ConfigException(setting.path() + ": " + problem + " (" + setting.source() + ")", null);
    }

    /**
     * A rule broken by the combination of values, as reported by a config builder; {@code sources}
     * lists where the values involved came from, if any were configured.
     */
    static ConfigException invalid(String problem, List<String> sources) {
        return new ConfigException(sources.isEmpty() ? problem : problem + " (" + String.join("; ", sources) + ")", null);
    }

    /** A structural problem at {@code path}, e.g. a list where a mapping belongs. */
    static ConfigException badShape(String path, String problem, String source) {
        return new ConfigException(path + ": " + problem + " (" + source + ")", null);
    }

    /** A command-line flag that is malformed, e.g. {@code --set} without {@code =}. */
    static ConfigException badFlag(String problem) {
        return new ConfigException(problem, null);
    }

    /** The config file cannot be read or parsed. */
    static ConfigException unreadable(String problem, Throwable cause) {
        return new ConfigException(problem, cause);
    }
}
