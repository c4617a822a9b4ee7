package io.herald.server.internal.cli;

import java.util.Arrays;
import java.util.List;

/**
 * One configured value before it is parsed: the full key path, the raw text (or the items of a
 * YAML list) and where it came from, e.g. {@code in herald.yml} or {@code from HERALD_PORT}.
 *
 * @param path    the full key path, e.g. {@code namespaces.scan.batch.interval}
 * @param values  the text of a scalar (one element, none for an empty YAML value) or the items of a YAML list
 * @param list    whether {@code values} came from a YAML list
 * @param source  where the value came from, phrased to follow the value in a message
 */
record Setting(String path, List<String> values, boolean list, String source) {

    Setting {
        values = List.copyOf(values);
    }

    /** A single value, from the environment, a flag or a YAML scalar. */
    static Setting scalar(String path, String text, String source) {
        return new Setting(path, List.of(text), false, source);
    }

    /** The text of a single value. */
    String text() {
        if (list) {
            throw new IllegalArgumentException("expected a single value, not a list");
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("has no value");
        }
        return values.get(0);
    }

    /** The items of a list: a YAML list, or a comma-separated value; an empty value is an empty list. */
    List<String> items() {
        if (list) {
            return values;
        }
        if (values.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(values.get(0).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
