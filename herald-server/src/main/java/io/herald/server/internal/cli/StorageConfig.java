package io.herald.server.internal.cli;

import io.herald.Engine;
import io.herald.Engines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where Herald keeps channel history (SPEC §6): global keys {@code history.store},
 * {@code history.dir} and {@code history.flushInterval}. Immutable.
 *
 * @param store         {@code memory} (default: fastest, lost on restart) or {@code disk} (survives a
 *                      restart and a {@code kill -9}, up to one flush interval)
 * @param dir           the data directory of the disk store, relative to the working directory
 *                      unless absolute (default {@value #DEFAULT_DIR})
 * @param flushInterval between the disk store's group commits: what a crash may lose at most, and
 *                      how long a publish waits for its acknowledgement at most (default 100 ms)
 */
record StorageConfig(Store store, Path dir, Duration flushInterval) {
    static final String DEFAULT_DIR = ".herald/data";
    static final StorageConfig DEFAULT = new StorageConfig(Store.MEMORY, Path.of(DEFAULT_DIR),
            Engines.DEFAULT_FLUSH_INTERVAL);

    enum Store {
        MEMORY, DISK;

        static Store of(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (Store s : values()) {
                if (s.name().toLowerCase(Locale.ROOT).equals(t)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("must be memory or disk, was '" + text.trim() + "'");
        }
    }

    StorageConfig {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(dir, "dir");
        if (flushInterval.toMillis() < 1) {
            throw new IllegalArgumentException("history.flushInterval must be at least 1ms, was " + flushInterval);
        }
    }

    /** A new engine of this kind; a relative {@link #dir} is resolved against {@code workingDirectory}. */
    Engine newEngine(Path workingDirectory) {
        return store == Store.MEMORY ? Engines.memory()
                : Engines.disk(workingDirectory.resolve(dir), flushInterval);
    }

    /** A builder for the config loader; starts from {@link #DEFAULT}. */
    static final class Builder {
        private Store store = DEFAULT.store;
        private Path dir = DEFAULT.dir;
        private Duration flushInterval = DEFAULT.flushInterval;

        Builder store(Store store) {
            this.store = store;
            return this;
        }

        Builder dir(Path dir) {
            this.dir = dir;
            return this;
        }

        Builder flushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
            return this;
        }

        StorageConfig build() {
            return new StorageConfig(store, dir, flushInterval);
        }
    }
}
