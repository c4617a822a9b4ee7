package io.herald.examples.settings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.examples.support.HttpPublisher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tenant's 200 settings, their current values, and the presets that change 70 of them at once.
 * Every change is published to the tenant's channel as a {@code setting} event keyed by the
 * setting's name, so Herald's retained state holds the latest value of each; a preset goes as one
 * array publish, its 70 settings then a critical {@code reloaded} event. Thread-safe: changes are
 * made and published one at a time, so the values here and the channel's order agree.
 */
final class Settings {
    static final int SIZE = 200;
    static final int PRESET_SIZE = 70;
    private static final String[] GROUPS = {"display", "editor", "notifications", "privacy", "network",
        "audio", "video", "keyboard", "sync", "advanced"};
    private static final String[] SIZES = {"small", "medium", "large"};

    private final String channel;
    private final HttpPublisher publisher;
    // guarded by this
    private final Map<String, String> values = new LinkedHashMap<>();

    Settings(String channel, HttpPublisher publisher) {
        this.channel = channel;
        this.publisher = publisher;
        for (int i = 0; i < SIZE; i++) {
            values.put(name(i), defaultValue(i));
        }
    }

    /** The presets: each sets 70 settings to another value. */
    static Map<String, Integer> presets() {
        return Map.of("focus", 0, "presentation", 130);
    }

    private static String name(int i) {
        return GROUPS[i / 20] + ".option" + String.format("%02d", i % 20);
    }

    private static String defaultValue(int i) {
        return switch (i % 3) {
            case 0 -> "on";
            case 1 -> Integer.toString(10 + i);
            default -> SIZES[i % SIZES.length];
        };
    }

    private static String presetValue(String preset, int i) {
        return switch (i % 3) {
            case 0 -> "off";
            case 1 -> Integer.toString(1000 + i);
            default -> preset + "-" + SIZES[(i + 1) % SIZES.length];
        };
    }

    /** Publishes every setting's value (at start: the retained state then holds all 200). */
    synchronized void publishAll() {
        List<ObjectNode> messages = new ArrayList<>(SIZE);
        values.forEach((k, v) -> messages.add(setting(k, v)));
        publisher.publish(messages);
    }

    /** @throws IllegalArgumentException for an unknown setting or a value that is empty or over 100 characters */
    synchronized void set(String key, String value) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("no setting '" + key + "'");
        }
        if (value == null || value.isBlank() || value.length() > 100) {
            throw new IllegalArgumentException("a value is 1 to 100 characters");
        }
        publisher.publish(List.of(setting(key, value)));
        values.put(key, value);
    }

    /** Applies a preset: its 70 settings and a {@code reloaded} notice in one array publish. */
    synchronized Map<String, Object> apply(String preset) {
        Integer first = presets().get(preset);
        if (first == null) {
            throw new IllegalArgumentException("no preset '" + preset + "'; there are " + presets().keySet());
        }
        Map<String, String> changed = new LinkedHashMap<>();
        for (int i = first; i < first + PRESET_SIZE; i++) {
            changed.put(name(i), presetValue(preset, i));
        }
        List<ObjectNode> messages = new ArrayList<>(PRESET_SIZE + 1);
        changed.forEach((k, v) -> messages.add(setting(k, v)));
        Map<String, Object> notice = Map.of("preset", preset, "count", changed.size());
        messages.add(HttpPublisher.message(channel, "reloaded", notice).put("critical", true));
        publisher.publish(messages);
        values.putAll(changed);
        return notice;
    }

    synchronized Map<String, String> values() {
        return new LinkedHashMap<>(values);
    }

    private ObjectNode setting(String key, String value) {
        return HttpPublisher.message(channel, "setting", Map.of("key", key, "value", value)).put("key", key);
    }
}
