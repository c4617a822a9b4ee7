package io.herald;

/**
 * A message after the engine accepted it: the {@code epoch} of its channel's stream, its
 * per-channel {@code offset} (strictly increasing from 1 within the epoch) and {@code ts}, the
 * server's publish time in epoch milliseconds.
 */
public record Publication(Message message, String epoch, long offset, long ts) {
    public String channel() {
        return message.channel();
    }

    public String event() {
        return message.event();
    }

    /** Where this publication stands in its channel's stream. */
    public StreamPosition position() {
        return new StreamPosition(epoch, offset);
    }
}
