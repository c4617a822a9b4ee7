package io.herald.bench.load;

/**
 * The accounting of one subscriber of one channel on which every message is plain (SPEC §3): what
 * it was owed, what it saw, what the server said it skipped, and what went missing without a word.
 *
 * <p>The client is owed every offset after the position in its {@code subscribed} answer. Each
 * offset it receives must be above the last one; a jump leaves a gap. The server reports the plain
 * messages it drops for a slow client in a {@code lag} frame, sent before the messages that follow
 * the drop, so a gap must be covered by the {@code skipped} of the lag frames received since the
 * previous message. What a gap holds beyond that is <em>silent loss</em>; skipped counts that no
 * gap used up are <em>over-reported</em>. Messages owed after the last one received (the client
 * was closed, or the run ended first) are the <em>tail</em>: not a loss that the client could have
 * seen, so counted apart.
 *
 * <p>With no keyed message on the channel there is nothing to coalesce, so a superseded key never
 * explains a gap here. Not thread-safe: one connection's event loop.
 */
final class OffsetLedger {
    private long start = -1;
    private long last = -1;
    private long received;
    private long outOfOrder;
    private long lagFrames;
    private long skippedReported;
    /** Skipped counts reported and not yet matched to a gap. */
    private long skippedPending;
    private long gaps;
    private long gapOffsets;
    private long silentLost;
    private long silentGaps;
    private long firstSilentAfter = -1;

    /** The {@code subscribed} answer: the client is owed every offset after {@code offset}. */
    void subscribed(long offset) {
        if (start < 0) {
            start = offset;
            last = Math.max(last, offset);
        }
    }

    /** A message with {@code offset}, in the order received. */
    void message(long offset) {
        if (start < 0) { // a message before the subscribed answer: owed from this one on
            start = offset - 1;
            last = start;
        }
        if (offset <= last) {
            outOfOrder++;
            return;
        }
        received++;
        long missing = offset - last - 1;
        if (missing > 0) {
            gaps++;
            gapOffsets += missing;
            long covered = Math.min(missing, skippedPending);
            skippedPending -= covered;
            if (missing > covered) {
                silentGaps++;
                silentLost += missing - covered;
                if (firstSilentAfter < 0) {
                    firstSilentAfter = last;
                }
            }
        }
        last = offset;
    }

    /** A {@code lag} frame: the server dropped {@code skipped} plain messages for this client. */
    void lag(long skipped) {
        lagFrames++;
        skippedReported += skipped;
        skippedPending += skipped;
    }

    /** Offsets owed up to {@code lastPublished} after the last one received. */
    long tail(long lastPublished) {
        return start < 0 ? 0 : Math.max(0, lastPublished - last);
    }

    /** The offset of the {@code subscribed} answer, or -1 before it. */
    long start() {
        return start;
    }

    /** The last offset received (or the start), or -1 before the subscription. */
    long last() {
        return last;
    }

    long received() {
        return received;
    }

    /** Messages at or below an offset already received: must be 0. */
    long outOfOrder() {
        return outOfOrder;
    }

    long lagFrames() {
        return lagFrames;
    }

    long skippedReported() {
        return skippedReported;
    }

    /** Jumps in the offsets received. */
    long gaps() {
        return gaps;
    }

    /** Offsets inside the gaps. */
    long gapOffsets() {
        return gapOffsets;
    }

    /** Offsets missing that no lag frame reported. */
    long silentLost() {
        return silentLost;
    }

    /** Gaps with silent loss in them. */
    long silentGaps() {
        return silentGaps;
    }

    /** The last offset received before the first silent gap, or -1. */
    long firstSilentAfter() {
        return firstSilentAfter;
    }

    /** Skipped counts that no gap used up (yet): a lag frame whose gap has not come, or too high a count. */
    long overReported() {
        return skippedPending;
    }
}
