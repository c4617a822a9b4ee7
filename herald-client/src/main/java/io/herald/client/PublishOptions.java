package io.herald.client;

import java.util.Objects;
import java.util.Optional;

/**
 * How a message is published (SPEC §2, §3): an optional {@code key} (a keyed message supersedes
 * earlier ones with the same key) and whether it is {@code critical} (never throttled, coalesced or
 * dropped). Immutable.
 */
public record PublishOptions(Optional<String> key, boolean critical) {
    /** Neither keyed nor critical: a plain message. */
    public static final PublishOptions PLAIN = new PublishOptions(Optional.empty(), false);
    /** A critical message. */
    public static final PublishOptions CRITICAL = new PublishOptions(Optional.empty(), true);

    public PublishOptions {
        Objects.requireNonNull(key, "key");
    }

    /** A keyed message. */
    public static PublishOptions keyed(String key) {
        return new PublishOptions(Optional.of(key), false);
    }

    /** The same, critical. */
    public PublishOptions asCritical() {
        return new PublishOptions(key, true);
    }
}
