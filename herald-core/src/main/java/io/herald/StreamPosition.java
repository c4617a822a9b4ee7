package io.herald;

/**
 * Where a channel's stream stands: its {@code epoch} (changes when history is lost, see
 * {@link Engine}) and the offset of its latest message (0 before the first).
 */
public record StreamPosition(String epoch, long offset) {
    /** The position of a channel the engine holds nothing for: no epoch yet, offset 0. */
    public static final StreamPosition NONE = new StreamPosition("", 0);
}
