package io.herald.client;

import java.util.Objects;

/**
 * A place in a channel's stream (SPEC §6): the stream's {@code epoch} and the {@code offset} of the
 * last message seen in it. A subscription that resumes from a position gets every message after it,
 * or is told it could not ({@link NotRecovered}). Store it to resume after a restart of your own
 * process ({@link SubscribeOptions.Builder#since}).
 *
 * @param epoch the stream's epoch, as the server names it
 * @param offset the last offset seen, 0 for none
 */
public record Position(String epoch, long offset) {
    public Position {
        Objects.requireNonNull(epoch, "epoch");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be at least 0, was " + offset);
        }
    }

    /** The same epoch at {@code offset}. */
    public Position at(long offset) {
        return new Position(epoch, offset);
    }

    @Override
    public String toString() {
        return epoch + ":" + offset;
    }
}
