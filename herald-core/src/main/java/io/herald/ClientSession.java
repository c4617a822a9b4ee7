package io.herald;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The core's side of one connected client: its subscriptions and outbound delivery. Created by
 * {@link Herald#openSession(Outlet)}; all methods must be called on the outlet's executor.
 */
public interface ClientSession {

    /**
     * Subscribes to {@code channel}; the client receives every message published after the
     * returned position. Subscribing again replaces the event filter.
     *
     * @param events the event names to receive, or empty for all
     * @throws HeraldException {@code bad_request} for an invalid channel name
     */
    default StreamPosition subscribe(String channel, Optional<Set<String>> events) {
        return subscribe(channel, events, Optional.empty()).join().position();
    }

    /**
     * Subscribes to {@code channel}, recovering what the client missed since {@code since}
     * (SPEC §6): when the position is in the channel's current epoch and its history still holds
     * every message after it, those messages come first, in order, then the live ones, with no
     * gap and nothing twice ({@code recovered}). Otherwise the subscription starts at the
     * channel's current position ({@code recovered} false) and the client learns it from the
     * answer. The future completes on the session's executor, before any recovered message is
     * sent (at once when there is nothing to recover).
     *
     * @param since the last position the client saw, or empty for a plain subscription
     * @throws HeraldException {@code bad_request} for an invalid channel name
     */
    CompletableFuture<Subscribed> subscribe(String channel, Optional<Set<String>> events, Optional<StreamPosition> since);

    /**
     * The answer to a subscribe: the channel's position when the subscription began (live messages
     * follow it), whether the client's position was recovered, and, for a channel whose namespace
     * retains state and a client that did not recover, that state as of the position: the latest
     * message of each key, oldest first (SPEC §6).
     */
    record Subscribed(StreamPosition position, boolean recovered, List<Publication> state) {
        public Subscribed {
            state = List.copyOf(state);
        }

        public Subscribed(StreamPosition position, boolean recovered) {
            this(position, recovered, List.of());
        }
    }

    /** Ends the subscription; returns whether there was one. */
    boolean unsubscribe(String channel);

    /**
     * Messages waiting for this client in the core's backlogs because its socket did not take them
     * yet. Safe to call from any thread; approximate (read without stopping the loop).
     */
    long backlogMessages();

    /** The channels this session is subscribed to. Unlike the other methods, safe to call from any thread. */
    Set<String> channels();

    /** The transport's socket takes frames again: sends what waited in the backlogs. */
    void writable();

    /**
     * Writes what waits in the backlogs now, whether or not the socket takes more (graceful
     * shutdown, after {@link Herald#flush()}: the backlogs are bounded, and nothing acknowledged
     * may stay behind).
     */
    void flush();

    /** Ends every subscription; the session delivers nothing more. Idempotent. */
    void close();
}
