package io.herald.server.internal.cli;

import static io.herald.server.internal.cli.ConfigKeys.GLOBAL;
import static io.herald.server.internal.cli.ConfigKeys.IN_NAMESPACE;
import static io.herald.server.internal.cli.ConfigKeys.LOG_LEVELS;
import static io.herald.server.internal.cli.ConfigKeys.NAMESPACES;

import io.herald.ChannelNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings gathered from every source, by key. Sources are added from lowest to highest
 * precedence; a later setting of a key replaces an earlier one. Not thread-safe.
 */
final class Settings {
    private final Map<String, Setting> global = new LinkedHashMap<>();
    // sorted so that namespaces are built, and their errors reported, in a stable order
    private final Map<String, Map<String, Setting>> namespaces = new TreeMap<>();
    private final Map<String, Setting> logLevels = new TreeMap<>();

    /**
     * Adds a setting by its full path: a global key, {@code namespaces.<name>.<key>} or
     * {@code log.levels.<logger>}.
     *
     * @throws ConfigException when the path names no known key
     */
    void add(Setting s) {
        String path = s.path();
        if (path.startsWith(LOG_LEVELS + ".") && path.length() > LOG_LEVELS.length() + 1) {
            logLevels.put(path.substring(LOG_LEVELS.length() + 1), s);
        } else if (path.startsWith(NAMESPACES + ".")) {
            addNamespaced(s, path.substring(NAMESPACES.length() + 1));
        } else if (GLOBAL.contains(path)) {
            global.put(path, s);
        } else {
            throw ConfigException.unknownKey(path, s.source(), ConfigKeys.suggest(path));
        }
    }

    /** Global settings (server, {@code defaults.*}, {@code preset}, {@code log.level}) by full path. */
    Map<String, Setting> global() {
        return Collections.unmodifiableMap(global);
    }

    /** Settings of each configured namespace, by namespace name, then by full path. */
    Map<String, Map<String, Setting>> namespaces() {
        return Collections.unmodifiableMap(namespaces);
    }

    /** {@code log.levels} settings by logger name. */
    Map<String, Setting> logLevels() {
        return Collections.unmodifiableMap(logLevels);
    }

    // A namespace name may itself contain dots, so the key is found as the first suffix that is a
    // known namespace key; no such key is a dotted suffix of another, so the split is unambiguous.
    private void addNamespaced(Setting s, String rest) {
        for (int dot = rest.indexOf('.'); dot > 0; dot = rest.indexOf('.', dot + 1)) {
            if (IN_NAMESPACE.contains(rest.substring(dot + 1))) {
                String namespace = rest.substring(0, dot);
                requireNamespaceName(namespace, s.source());
                namespaces.computeIfAbsent(namespace, n -> new LinkedHashMap<>()).put(s.path(), s);
                return;
            }
        }
        throw ConfigException.unknownKey(s.path(), s.source(), ConfigKeys.suggest(s.path()));
    }

    private static void requireNamespaceName(String name, String source) {
        if (!ChannelNames.isValid(name) || name.indexOf(':') >= 0) {
            throw ConfigException.badShape(NAMESPACES + "." + name,
                    "'" + name + "' is not a namespace name; use letters, digits and _ . @ # / -", source);
        }
    }
}
