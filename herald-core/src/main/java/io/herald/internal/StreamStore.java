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
 * the channel's order, so the calls are cheap and never block: they record what changed and return;
 * a store writes it out later, and {@link #appended} completes once it has. Thread-safe.
 */
interface StreamStore extends AutoCloseable {

    /** Keeps nothing: publish futures complete at once, and a new engine starts empty. */
    StreamStore NONE = new StreamStore() {
        @Override
        public List<Stored> open() {
            return List.of();
        }

        @Override
        public void admit(String channel, ChannelStream stream) {
        }

        @Override
        public CompletableFuture<Publication> appended(String channel, ChannelStream stream, Publication p,
                String retainedKey) {
            return CompletableFuture.completedFuture(p);
        }

        @Override
        public void trimmed(String channel, ChannelStream stream) {
        }

        @Override
        public void retainedRemoved(String channel, ChannelStream stream, String key) {
        }

        @Override
        public void removed(String channel, ChannelStream stream) {
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
    record Stored(String channel, String epoch, long offset, long completedAt, long lastActive,
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
     * A publication is about to get the next offset of {@code stream}: throws when the store cannot
     * take it now, so that it is refused before it has an offset or reaches a subscriber. Never
     * blocks.
     *
     * @throws io.herald.HeraldException {@code unavailable} when the store can no longer write (a
     *         full disk, a write error), or when too many publications wait to be written
     */
    void admit(String channel, ChannelStream stream);

    /**
     * {@code p} was appended to {@code stream}, and to its retained state under {@code retainedKey}
     * unless that is {@code null}. The future completes with {@code p} once the store holds it
     * durably, or fails with {@code unavailable}.
     */
    CompletableFuture<Publication> appended(String channel, ChannelStream stream, Publication p, String retainedKey);

    /** {@code stream} evicted history (size or ttl): the store drops what comes before its history's start. */
    void trimmed(String channel, ChannelStream stream);

    /** {@code key} left the stream's retained state. */
    void retainedRemoved(String channel, ChannelStream stream, String key);

    /** The stream and all its state are gone (its epoch ended). */
    void removed(String channel, ChannelStream stream);

    /** The engine's health as far as the store knows. */
    Engine.Health health(boolean closed);

    /** Writes out what is pending and closes the store; may block. The engine refuses publishes first. */
    @Override
    void close();
}
