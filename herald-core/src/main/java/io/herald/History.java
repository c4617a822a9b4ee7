package io.herald;

import java.util.List;

/**
 * The answer to a history read ({@link Engine#history}).
 *
 * @param position the channel's current position (its epoch and latest offset); {@link StreamPosition#NONE}
 *        when the engine holds nothing for the channel
 * @param publications the publications after the requested position, oldest first, at most the limit
 *        asked for; empty when not covered
 * @param covered whether the requested position is still recoverable: same epoch, not from the
 *        future ({@code offset} at most the current one) and not too old (every publication after it is
 *        still held). A read from an empty epoch is covered when the held history starts at offset 1.
 */
public record History(StreamPosition position, List<Publication> publications, boolean covered) {
    public History {
        publications = List.copyOf(publications);
    }

    /** The channel's current epoch. */
    public String epoch() {
        return position.epoch();
    }
}
