package io.herald.bench.load;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --name value} (or {@code --name=value}) command-line options of the load generator, read with a default. A flag
 * without a value ({@code --quiet}) reads as {@code "true"}. Not thread-safe; read once in main.
 */
final class Options {
    private final Map<String, String> values = new HashMap<>();

    Options(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected an option (--name value) but found '" + a + "'");
            }
            int eq = a.indexOf('=');
            if (eq > 0) { // --name=value, for values that start with "--"
                values.put(a.substring(2, eq), a.substring(eq + 1));
                continue;
            }
            boolean hasValue = i + 1 < args.size() && !args.get(i + 1).startsWith("--");
            values.put(a.substring(2), hasValue ? args.get(++i) : "true");
        }
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    long longValue(String name, long fallback) {
        return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
    }

    double decimal(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }
}
