package io.herald.internal;

import io.herald.Publication;

/**
 * A publication encoded once, as the element of a frame:
 * {@code {"event":…,"offset":…,"ts":…,"key"?:…,"data":…}}. Frames for any number of clients are
 * assembled from these bytes without encoding JSON again. Immutable; the bytes must not change.
 *
 * @param key the coalescing key, or {@code null} for a plain or critical message
 */
record Encoded(Publication publication, byte[] element, String key, boolean critical) {

    static Encoded of(Publication p) {
        return new Encoded(p, Frames.element(p), p.message().key().orElse(null), p.message().critical());
    }

    long offset() {
        return publication.offset();
    }

    String event() {
        return publication.event();
    }
}
