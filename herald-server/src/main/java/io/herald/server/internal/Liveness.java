package io.herald.server.internal;

import io.netty.channel.ChannelOutboundBuffer;

/**
 * Whether a connection's client is alive, measured by what it does rather than by how fast it
 * reads (SPEC §5.1: any client frame counts as alive). A client is seen when a frame arrives from
 * it, and also when bytes that were waiting for it leave the server's outbound buffer: a
 * subscriber that reads, however far behind, keeps the buffer moving, while one that stopped
 * reading (or whose host is gone) does not. So overload never turns a slow reader into a heartbeat
 * timeout, and a dead client is still found within the timeout. A transport whose client sends
 * nothing (SSE) calls {@link #seen} when the socket took a ping: bytes that wait and do not move
 * still time it out.
 *
 * <p>Not thread-safe: confined to the connection's event loop.
 */
final class Liveness {
    private final long timeoutNanos;
    private long lastSeenNanos;
    /** The head of the outbound buffer and its written bytes at the last look: a change is progress. */
    private Object head;
    private long headProgress;

    /** What the heartbeat should do at a tick. */
    enum Verdict {
        /** Nothing waits to be sent: ask the client for a sign of life. */
        PING,
        /**
         * Bytes wait for the client: a ping would only queue behind them and measure the backlog,
         * not the client; the buffer's progress is the sign of life.
         */
        BUSY,
        /** Nothing from the client, and nothing taken by it, for the whole timeout. */
        TIMED_OUT
    }

    Liveness(long timeoutNanos, long nowNanos) {
        this.timeoutNanos = timeoutNanos;
        this.lastSeenNanos = nowNanos;
    }

    /** A frame arrived from the client. */
    void seen(long nowNanos) {
        lastSeenNanos = nowNanos;
    }

    long lastSeenNanos() {
        return lastSeenNanos;
    }

    /**
     * Looks at the outbound buffer (null once the channel is closed) and decides. Counts as seen
     * when the buffer's head moved or was partly written since the last look.
     */
    Verdict tick(ChannelOutboundBuffer out, long nowNanos) {
        boolean pending = progressed(out, nowNanos);
        if (nowNanos - lastSeenNanos >= timeoutNanos) {
            return Verdict.TIMED_OUT;
        }
        return pending ? Verdict.BUSY : Verdict.PING;
    }

    /**
     * Whether bytes left the outbound buffer since the last look; updates the last seen time if
     * so. Returns whether anything is waiting now.
     */
    boolean progressed(ChannelOutboundBuffer out, long nowNanos) {
        Object current = out == null ? null : out.current();
        long progress = current == null ? 0 : out.currentProgress();
        if (head != null && (current != head || progress != headProgress)) {
            lastSeenNanos = nowNanos; // what waited at the last look has (partly) gone out
        }
        head = current;
        headProgress = progress;
        return current != null;
    }
}
