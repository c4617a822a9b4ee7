package io.herald;

import io.herald.internal.MemoryEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** Factories of the engines that ship with the core. */
public final class Engines {
    private Engines() {
    }

    /**
     * A new in-memory engine (Herald's default): offsets, history and retained state live in this
     * process, so every instance starts new epochs. Serves one node.
     */
    public static Engine memory() {
        return new MemoryEngine();
    }

    /** The flush interval of {@link #disk(Path)}: at most one group commit per interval, and what a {@code kill -9} may lose. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(100);

    /** {@link #disk(Path, Duration)} with the {@linkplain #DEFAULT_FLUSH_INTERVAL default flush interval} (100 ms). */
    public static Engine disk(Path directory) {
        return disk(directory, DEFAULT_FLUSH_INTERVAL);
    }

    /**
     * A new engine whose streams survive a restart (SPEC §6): it works as {@link #memory()} does,
     * every read served from memory and every publication delivered live at once, and also writes
     * each channel's epoch, offset, history and retained state to one file in {@code directory}
     * (H2 MVStore, {@code history.mv.db}) with group commit: at most one commit, written and synced,
     * per {@code flushInterval}, at once when a publish follows a quiet interval. A publish future
     * completes only once its publication is committed, so an acknowledged publication survives a
     * crash ({@code kill -9}, power loss); a crash loses at most the publications of the last flush
     * interval, none of them acknowledged. After a restart each channel continues in its epoch; after
     * a crash it skips the offsets it may have delivered live and lost, so none is given twice.
     * Serves one node: the file is locked while the engine runs.
     *
     * <p>Publishing never blocks on the disk: a publish returns its future at once, and is refused
     * at once with {@code unavailable} when too many publications wait to be written. A write error
     * (a full disk) makes publishes fail with {@code unavailable} and {@code health} report the
     * engine down until a retry (every second) can write again. {@link Engine#start} opens the file
     * and fails with an {@link IllegalStateException} that names it and what to do when it cannot
     * (damaged, locked, not readable).
     *
     * <pre>{@code
     * Herald herald = Herald.builder().engine(Engines.disk(Path.of("data"), Duration.ofMillis(100))).start();
     * }</pre>
     *
     * @param flushInterval between group commits, at least 1 ms: what a crash may lose at most, and
     *        how long a publish may wait for its acknowledgement
     */
    public static Engine disk(Path directory, Duration flushInterval) {
        Objects.requireNonNull(directory, "directory");
        if (flushInterval.toMillis() < 1) {
            throw new IllegalArgumentException("flushInterval must be at least 1ms, was " + flushInterval);
        }
        return MemoryEngine.onDisk(directory, flushInterval);
    }
}
