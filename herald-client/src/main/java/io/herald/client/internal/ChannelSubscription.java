package io.herald.client.internal;

import io.herald.client.Position;
import io.herald.client.SubscribeOptions;
import io.herald.client.Subscription;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One channel's subscription and where it is. The fields under "client thread" are confined to the
 * client's thread; {@link #position} and {@link #active} are volatile for the application's threads.
 */
final class ChannelSubscription implements Subscription {

    /** Where the subscription is with the server on the current connection. */
    enum Phase {
        /** Nothing asked on this connection (not connected yet, or waiting to retry). */
        IDLE,
        /** A subscribe was sent; until its answer, frames of the channel belong to an earlier subscription. */
        PENDING,
        /** Answered: messages after {@link #position} are delivered. */
        LIVE
    }

    private final Channels channels;
    final String channel;
    final SubscribeOptions options;
    private final CompletableFuture<Position> ready = new CompletableFuture<>();
    /** The last position delivered (or the one to resume from); null before any. */
    volatile Position position;
    private volatile boolean active = true;

    // client thread
    Phase phase = Phase.IDLE;
    /** The id of the subscribe awaiting its answer. */
    long awaitingId;
    /** The position that subscribe resumes from, or null. */
    Position sentSince;
    /** Where the last resubscribe after a {@code lag} started from, or null. */
    Position lagFrom;
    /**
     * A catch-up overflowed the server's outbound bound before delivering anything: what it
     * skipped cannot come over this connection, and the next message's gap is reported instead.
     */
    boolean acceptGap;
    /** Retryable refusals in a row, for the backoff of the next subscribe. */
    int refusals;
    Scheduler.Timer retry;

    ChannelSubscription(Channels channels, String channel, SubscribeOptions options) {
        this.channels = channels;
        this.channel = channel;
        this.options = options;
        this.position = options.since().orElse(null);
    }

    @Override
    public String channel() {
        return channel;
    }

    @Override
    public Optional<Position> position() {
        return Optional.ofNullable(position);
    }

    @Override
    public CompletableFuture<Position> ready() {
        return ready.copy();
    }

    CompletableFuture<Position> readyFuture() {
        return ready;
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public void unsubscribe() {
        channels.unsubscribe(this);
    }

    /** Marks it ended; returns whether it was active. */
    synchronized boolean deactivate() {
        if (!active) {
            return false;
        }
        active = false;
        return true;
    }

    /** A subscribe with {@code id} from {@code since} was sent. */
    void sent(long id, Position since) {
        phase = Phase.PENDING;
        acceptGap = false;
        awaitingId = id;
        sentSince = since;
    }

    void cancelRetry() {
        if (retry != null) {
            retry.cancel();
            retry = null;
        }
    }

    @Override
    public String toString() {
        return "Subscription{" + channel + " at " + position + (active ? "" : ", ended") + '}';
    }
}
