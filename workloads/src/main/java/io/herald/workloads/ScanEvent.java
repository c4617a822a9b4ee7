package io.herald.workloads;

import java.util.Objects;
import java.util.Optional;

/**
 * One event of the scan workload, due {@code atMicros} after the job starts (schedule time, before
 * any speed-up).
 *
 * @param atMicros when the event is due, in microseconds from the start of the job
 * @param event    the event name, e.g. {@code portFound}
 * @param kind     how the server must treat it
 * @param key      the coalescing key; present exactly when {@code kind} is {@link Kind#KEYED}
 * @param last     whether it is published with {@code "final": true} (the job's completion)
 * @param data     the payload as compact JSON, 60–200 bytes
 */
public record ScanEvent(long atMicros, String event, Kind kind, Optional<String> key, boolean last, String data) {
    /** Validates that a key is given exactly for keyed events. */
    public ScanEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(data, "data");
        if (key.isPresent() != (kind == Kind.KEYED)) {
            throw new IllegalArgumentException(event + ": a key is required for keyed events and only for them");
        }
    }

    static ScanEvent critical(long atMicros, String event, String data) {
        return new ScanEvent(atMicros, event, Kind.CRITICAL, Optional.empty(), false, data);
    }

    static ScanEvent keyed(long atMicros, String event, String data) {
        return new ScanEvent(atMicros, event, Kind.KEYED, Optional.of(event), false, data);
    }

    static ScanEvent plain(long atMicros, String event, String data) {
        return new ScanEvent(atMicros, event, Kind.PLAIN, Optional.empty(), false, data);
    }

    ScanEvent asFinal() {
        return new ScanEvent(atMicros, event, kind, key, true, data);
    }
}
