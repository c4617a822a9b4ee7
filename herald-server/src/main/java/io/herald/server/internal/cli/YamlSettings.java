package io.herald.server.internal.cli;

import static io.herald.server.internal.cli.ConfigKeys.GLOBAL;
import static io.herald.server.internal.cli.ConfigKeys.IN_NAMESPACE;
import static io.herald.server.internal.cli.ConfigKeys.LOG_LEVELS;
import static io.herald.server.internal.cli.ConfigKeys.NAMESPACES;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a YAML config file into {@link Settings}: nested mappings become dotted paths
 * ({@code heartbeat: {interval: 5s}} is {@code heartbeat.interval}). Unknown keys, a mapping where
 * a value belongs and the reverse are errors that name the key and the file.
 */
final class YamlSettings {
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final String source;
    private final Settings into;

    private YamlSettings(String source, Settings into) {
        this.source = source;
        this.into = into;
    }

    /**
     * Adds the settings of {@code file} to {@code into}.
     *
     * @param origin where the file's name came from, e.g. {@code from HERALD_CONFIG}, or empty
     * @throws ConfigException when the file cannot be read or holds an invalid key
     */
    static void read(Path file, String origin, Settings into) {
        JsonNode root = parse(file, origin.isEmpty() ? "" : " (" + origin + ")");
        if (root == null || root.isMissingNode() || root.isNull()) {
            return; // an empty file configures nothing
        }
        if (!root.isObject()) {
            throw ConfigException.unreadable("config file '" + file + "' must hold a mapping of keys, e.g. 'port: 8080'", null);
        }
        new YamlSettings("in " + file, into).global(root, "");
    }

    private static JsonNode parse(Path file, String origin) {
        if (Files.isDirectory(file)) {
            throw ConfigException.unreadable("config file '" + file + "' is a directory" + origin, null);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return MAPPER.readTree(in);
        } catch (NoSuchFileException e) {
            throw ConfigException.unreadable("config file '" + file + "' does not exist" + origin, e);
        } catch (AccessDeniedException e) {
            throw ConfigException.unreadable("cannot read config file '" + file + "': permission denied" + origin, e);
        } catch (JsonProcessingException e) {
            throw ConfigException.unreadable("cannot parse config file '" + file + "'" + syntaxError(e), e);
        } catch (IOException e) {
            throw ConfigException.unreadable("cannot read config file '" + file + "': " + e.getMessage() + origin, e);
        }
    }

    /**
     * The location and the problem of a syntax error on one line. The YAML parser's own message
     * spans several lines, quoting the input; only its unindented lines state the problem.
     */
    private static String syntaxError(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String problem = e.getOriginalMessage().lines()
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .collect(Collectors.joining("; "));
        return where + ": " + problem;
    }

    private void global(JsonNode mapping, String path) {
        for (Map.Entry<String, JsonNode> field : mapping.properties()) {
            String p = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode value = field.getValue();
            if (p.equals(NAMESPACES)) {
                namespaces(value);
            } else if (p.equals(LOG_LEVELS)) {
                logLevels(value);
            } else if (GLOBAL.contains(p)) {
                into.add(setting(p, value));
            } else if (ConfigKeys.isBranch(GLOBAL, p)) {
                global(requireMapping(p, value), p);
            } else {
                throw ConfigException.unknownKey(p, source, ConfigKeys.suggest(p));
            }
        }
    }

    private void namespaces(JsonNode mapping) {
        for (Map.Entry<String, JsonNode> ns : requireMapping(NAMESPACES, mapping).properties()) {
            inNamespace(NAMESPACES + "." + ns.getKey(), requireMapping(NAMESPACES + "." + ns.getKey(), ns.getValue()), "");
        }
    }

    private void inNamespace(String prefix, JsonNode mapping, String path) {
        for (Map.Entry<String, JsonNode> field : mapping.properties()) {
            String p = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            String full = prefix + "." + p;
            if (IN_NAMESPACE.contains(p)) {
                into.add(setting(full, field.getValue()));
            } else if (ConfigKeys.isBranch(IN_NAMESPACE, p)) {
                inNamespace(prefix, requireMapping(full, field.getValue()), p);
            } else {
                throw ConfigException.unknownKey(full, source, ConfigKeys.suggest(full));
            }
        }
    }

    private void logLevels(JsonNode mapping) {
        for (Map.Entry<String, JsonNode> logger : requireMapping(LOG_LEVELS, mapping).properties()) {
            into.add(setting(LOG_LEVELS + "." + logger.getKey(), logger.getValue()));
        }
    }

    /** The mapping at {@code path}; an empty value counts as an empty mapping. */
    private JsonNode requireMapping(String path, JsonNode node) {
        if (node.isNull()) {
            return MAPPER.createObjectNode();
        }
        if (!node.isObject()) {
            throw ConfigException.badShape(path, "expected a mapping of keys, got " + describe(node), source);
        }
        return node;
    }

    private Setting setting(String path, JsonNode node) {
        if (node.isNull()) {
            return new Setting(path, List.of(), false, source);
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isValueNode() || item.isNull()) {
                    throw ConfigException.badShape(path, "list items must be single values, got " + describe(item), source);
                }
                items.add(item.asText());
            }
            return new Setting(path, items, true, source);
        }
        if (node.isObject()) {
            throw ConfigException.badShape(path, "expected a single value, got a mapping", source);
        }
        if (node.isBoolean() && !node.booleanValue() && isLogLevel(path)) {
            return Setting.scalar(path, "off", source); // YAML 1.1 reads an unquoted "off" as false
        }
        return Setting.scalar(path, node.asText(), source);
    }

    private static boolean isLogLevel(String path) {
        return path.equals(ConfigKeys.LOG_LEVEL) || path.startsWith(LOG_LEVELS + ".");
    }

    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.isNull() ? "nothing" : "'" + node.asText() + "'";
    }
}
