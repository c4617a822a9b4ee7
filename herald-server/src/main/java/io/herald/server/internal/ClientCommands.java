package io.herald.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.HeraldException;
import io.herald.StreamPosition;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Reads the optional parts of client commands (SPEC §5.1). */
final class ClientCommands {
    private static final int MAX_EVENTS = 256;

    private ClientCommands() {
    }

    /** {@code events}: an array of event names, or absent. */
    static Optional<Set<String>> events(JsonNode root) {
        JsonNode events = root.get("events");
        if (events == null || events.isNull()) {
            return Optional.empty();
        }
        if (!events.isArray() || events.size() > MAX_EVENTS) {
            throw HeraldException.badRequest("'events' must be an array of at most " + MAX_EVENTS + " event names");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode e : events) {
            if (!e.isTextual() || e.asText().isEmpty()) {
                throw HeraldException.badRequest("'events' must hold non-empty strings");
            }
            names.add(e.asText());
        }
        return Optional.of(names);
    }

    /** {@code since}: {@code {epoch, offset}}, or absent. */
    /**
     * A position in a URL: {@code epoch:offset} (the {@code since} of {@code /ws/{channel}} and of
     * the history API).
     *
     * @throws HeraldException {@code bad_request} when it is not one
     */
    static StreamPosition since(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw HeraldException.badRequest("'since' must be epoch:offset, e.g. since=1x2y3z:42");
        }
        try {
            long offset = Long.parseLong(text.substring(colon + 1));
            if (offset < 0) {
                throw new NumberFormatException();
            }
            return new StreamPosition(text.substring(0, colon), offset);
        } catch (NumberFormatException e) {
            throw HeraldException.badRequest("'since' must be epoch:offset with a non-negative offset, e.g. since=1x2y3z:42");
        }
    }

    static StreamPosition since(JsonNode root) {
        JsonNode since = root.get("since");
        if (since == null || since.isNull()) {
            return null;
        }
        if (!since.isObject() || !since.path("epoch").isTextual() || !since.path("offset").canConvertToLong()
                || since.path("offset").asLong() < 0) {
            throw HeraldException.badRequest("'since' must be {\"epoch\": string, \"offset\": non-negative integer}");
        }
        return new StreamPosition(since.get("epoch").asText(), since.get("offset").asLong());
    }
}
