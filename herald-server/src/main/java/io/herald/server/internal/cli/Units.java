package io.herald.server.internal.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the values of configuration settings. Strict on purpose: a value that is almost right
 * ({@code 5 seconds}, {@code 64kb}, {@code yes}) is an error rather than a guess. Every method
 * throws {@link IllegalArgumentException} with a message that quotes the value and shows valid
 * examples; the caller adds the key and where the value came from.
 */
final class Units {
    /** Log levels accepted by {@code log.level} and {@code log.levels}. */
    static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)(B|KB|MB|GB|KiB|MiB|GiB)?");
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Map<String, Long> SIZE_UNITS = Map.of(
            "B", 1L,
            "KB", 1000L, "MB", 1000L * 1000, "GB", 1000L * 1000 * 1000,
            "KiB", 1024L, "MiB", 1024L * 1024, "GiB", 1024L * 1024 * 1024);

    private Units() {
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, or a bare number of milliseconds. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(quote(text) + " is not a duration; use e.g. 500ms, 5s, 2m");
        }
        long amount = number(m.group(1), text);
        String unit = m.group(2) == null ? "ms" : m.group(2);
        try {
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } catch (ArithmeticException e) {
            throw tooLarge(text);
        }
    }

    /** {@code 512B}, {@code 64KiB}, {@code 1MiB}, {@code 1GiB}, {@code 1KB} (1000 bytes), or a bare number of bytes. */
    static long size(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(quote(text) + " is not a size; use e.g. 512B, 64KiB, 1MiB");
        }
        long amount = number(m.group(1), text);
        long unit = m.group(2) == null ? 1 : SIZE_UNITS.get(m.group(2));
        try {
            return Math.multiplyExact(amount, unit);
        } catch (ArithmeticException e) {
            throw tooLarge(text);
        }
    }

    /** A size that must fit an {@code int}, for limits the server keeps as {@code int}. */
    static int intSize(String text) {
        long bytes = size(text);
        if (bytes > Integer.MAX_VALUE) {
            throw tooLarge(text);
        }
        return (int) bytes;
    }

    /** A whole number such as {@code 8080} or {@code -1}. */
    static int integer(String text) {
        String t = text.trim();
        if (!INTEGER.matcher(t).matches()) {
            throw new IllegalArgumentException(quote(text) + " is not a whole number");
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw tooLarge(text);
        }
    }

    /** {@code true} or {@code false}, in any case. */
    static boolean bool(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return t.equals("true");
        }
        throw new IllegalArgumentException(quote(text) + " is not a boolean; use true or false");
    }

    /** One of {@link #LOG_LEVELS}, in any case; returned in lower case. */
    static String logLevel(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(t)) {
            throw new IllegalArgumentException(quote(text) + " is not a log level; use trace, debug, info, warn, error or off");
        }
        return t;
    }

    private static long number(String digits, String text) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw tooLarge(text);
        }
    }

    private static IllegalArgumentException tooLarge(String text) {
        return new IllegalArgumentException(quote(text) + " is too large");
    }

    private static String quote(String text) {
        return "'" + text + "'";
    }
}
