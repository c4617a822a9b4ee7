package io.herald;

/**
 * The channels of this node in aggregate (SPEC §7, {@code GET /api/stats}), for all namespaces or
 * one.
 *
 * @param active                 channels with at least one message that have not completed;
 *                               subscribing alone does not make a channel active
 * @param idle                   channels with subscribers here (or counters) but no message yet
 * @param completed              completed channels still held (until their {@code cleanupDelay})
 *                               plus those removed within the stats window
 * @param averageElapsedSeconds  the mean time from first message to completion over the
 *                               {@code completed} channels; 0 when there are none
 * @param messages               messages published to the channels held now and to the completed
 *                               ones removed within the window
 * @param completedMessages      messages published to the {@code completed} channels
 * @param windowSeconds          how long a removed completed channel still counts (to the minute)
 */
public record ChannelSummary(
        long active,
        long idle,
        long completed,
        double averageElapsedSeconds,
        long messages,
        long completedMessages,
        long windowSeconds) {

    /** Every channel counted: active, idle and completed. */
    public long total() {
        return active + idle + completed;
    }
}
