package io.herald.client;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A client's subscription to one channel, from {@link HeraldClient#subscribe}. It outlives
 * connections: after every reconnect the client resubscribes it from its {@link #position()}.
 * Thread-safe.
 */
public interface Subscription {

    /** The channel. */
    String channel();

    /**
     * Where the subscription is: the epoch and the offset of the last message delivered (or of the
     * channel when it was subscribed, before any message). Empty until the server first answered.
     */
    Optional<Position> position();

    /**
     * Completes with the position the subscription started at once the server first answered it;
     * fails with a {@link ServerErrorException} when the server refused it, or with a
     * {@link ConnectionLostException} when the client closed before.
     */
    CompletableFuture<Position> ready();

    /** Whether messages may still come: neither unsubscribed, nor refused, nor ended by the server. */
    boolean isActive();

    /**
     * Ends the subscription: no listener of it is called after this returns, unless it is being
     * called on the client's thread right now (then that call finishes). Idempotent.
     */
    void unsubscribe();
}
