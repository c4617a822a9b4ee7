package io.herald.bench.scan;

import io.herald.workloads.Kind;
import io.herald.workloads.ScanEvent;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the publisher published and at which offsets, taken from the server's publish answers: the
 * truth every client is checked against. Filled by one thread ({@link ScanReplay}), then read-only.
 */
final class PublishLog {
    private final Map<Long, ScanEvent> byOffset = new HashMap<>();
    private final Map<String, Long> lastOffsetByKey = new HashMap<>();
    private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);

    void record(ScanEvent event, long offset) {
        if (byOffset.putIfAbsent(offset, event) != null) {
            throw new IllegalStateException("the server gave offset " + offset + " twice");
        }
        counts.merge(event.kind(), 1, Integer::sum);
        event.key().ifPresent(k -> lastOffsetByKey.merge(k, offset, Math::max));
    }

    /** The event published at {@code offset}, if the publisher published one there. */
    Optional<ScanEvent> at(long offset) {
        return Optional.ofNullable(byOffset.get(offset));
    }

    /** How many messages of this kind were published. */
    int published(Kind kind) {
        return counts.getOrDefault(kind, 0);
    }

    /** Offset of the last published value of each key. */
    Map<String, Long> lastOffsetByKey() {
        return Map.copyOf(lastOffsetByKey);
    }
}
