package io.herald.internal;

import io.herald.Engine;
import io.herald.Publication;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the {@link MemoryEngine} keeps a copy of its streams so that they outlive the process:
 * {@link #NONE} keeps nothing (the memory engine), {@link DiskStore} an embedded file.
 *
 * <p>The engine's streams stay the source of truth while it runs: reads never touch the store, and
 * live delivery never waits for it. The engine calls the store under the channel's stream lock, in
 * the channel's order, so the calls are cheap: they record what changed and return; a store writes
 * it out later, and {@link #appended} completes once it has. Thread-safe.
 */
interface StreamStore extends AutoCloseable {

    /** Keeps nothing: publish futures complete at once, and a new engine starts empty. */
    StreamStore NONE = new StreamStore() {
        @Override
        public List<Stored> open() {
            return List.of();
        }

        @Override
        public CompletableFuture<Publication> appended(String channel, ChannelStream stream, Publication p,
                String retainedKey, boolean inHistory) {
            return CompletableFuture.completedFuture(p);
        }

        @Override
        public void trimmed(String channel, long from, long to) {
        }

        @Override
        public void retainedRemoved(String channel, String key) {
        }

        @Override
        public void removed(String channel) {
        }

        @Override
        public void check() {
        }

        @Override
        public Engine.Health health(boolean closed) {
            return new Engine.Health("memory", !closed, closed ? "closed" : "ok");
        }

        @Override
        public void close() {
        }
    };

    /** A channel's stream as the store held it: rebuilt into a {@link ChannelStream} at start. */
    record Stored(String channel, String epoch, long offset, long reserved, long completedAt, long lastActive,
            List<Publication> history, List<Publication> retained) {
    }

    /**
     * Opens the store and reads what it holds. Called once, from {@link Engine#start}; may block.
     *
     * @throws IllegalStateException when the store cannot be opened or read, with a message that
     *         names the file and what to do
     */
    List<Stored> open();

    /**
     * {@code p} was appended to {@code stream}: to its history if {@code inHistory}, to its
     * retained state under {@code retainedKey} unless that is {@code null}. The future completes
     * with {@code p} once the store holds it durably, or fails with {@code unavailable}.
     */
    CompletableFuture<Publication> appended(String channel, ChannelStream stream, Publication p, String retainedKey,
            boolean inHistory);

    /**
     * {@code offset} is about to be assigned in {@code stream} (and delivered live): a store that
     * keeps streams across a crash makes sure first that no later run of the same epoch can assign
     * it again. Called under the stream's lock, before {@link #appended}; cheap but for one sync per
     * block of offsets at most.
     *
     * @throws io.herald.HeraldException {@code unavailable} when it cannot
     */
    default void reserve(String channel, ChannelStream stream, long offset) {
    }

    /** History offsets {@code from} (inclusive) to {@code to} (exclusive) were evicted (size or ttl). */
    void trimmed(String channel, long from, long to);

    /** {@code key} left the channel's retained state. */
    void retainedRemoved(String channel, String key);

    /** The channel and all its state are gone (its epoch ended). */
    void removed(String channel);

    /**
     * Throws {@link io.herald.HeraldException#engineUnavailable} when the store can no longer
     * write (a full disk, a write error): publishes must then fail rather than go unrecorded.
     */
    void check();

    /** The engine's health as far as the store knows. */
    Engine.Health health(boolean closed);

    /** Writes out what is pending and closes the store; may block. */
    @Override
    void close();
}
