package io.herald;

/**
 * A message after the engine accepted it: its per-channel {@code offset} (strictly increasing from
 * 1) and {@code ts}, the server's publish time in epoch milliseconds.
 */
public record Publication(Message message, long offset, long ts) {
    public String channel() {
        return message.channel();
    }

    public String event() {
        return message.event();
    }
}
