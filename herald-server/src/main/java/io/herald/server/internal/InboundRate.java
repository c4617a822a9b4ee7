package io.herald.server.internal;

/**
 * The inbound rate limit of one connection (SPEC §8): a token bucket of {@code rate} frames per
 * second with a burst of one second's worth. Every frame the client sends counts, control frames
 * included. A client that keeps sending through a full second of rejections is abusive.
 *
 * <p>Not thread-safe: confined to the connection's event loop.
 */
final class InboundRate {
    /** What to do with a frame. */
    enum Verdict {
        /** Within the rate. */
        ALLOW,
        /** Over the rate: refuse this frame, the connection stays. */
        REJECT,
        /** Over the rate for a full second's worth of frames in a row: close with 1008. */
        ABUSE
    }

    private final int rate;
    private double tokens;
    private long refilledNanos;
    private int strikes;

    InboundRate(int rate) {
        this.rate = rate;
        this.tokens = rate;
    }

    int rate() {
        return rate;
    }

    Verdict admit(long nowNanos) {
        if (refilledNanos != 0) {
            tokens = Math.min(rate, tokens + (nowNanos - refilledNanos) * rate / 1e9);
        }
        refilledNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            strikes = 0;
            return Verdict.ALLOW;
        }
        return ++strikes > rate ? Verdict.ABUSE : Verdict.REJECT;
    }
}
