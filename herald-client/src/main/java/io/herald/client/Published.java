package io.herald.client;

/**
 * The server's answer to a publish: where the message went.
 *
 * @param channel the channel
 * @param offset the message's offset in the channel
 * @param epoch the channel's epoch
 * @param ts the server's publish time, epoch milliseconds
 */
public record Published(String channel, long offset, String epoch, long ts) {
}
