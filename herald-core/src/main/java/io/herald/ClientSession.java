package io.herald;

import java.util.Optional;
import java.util.Set;

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
    StreamPosition subscribe(String channel, Optional<Set<String>> events);

    /** Ends the subscription; returns whether there was one. */
    boolean unsubscribe(String channel);

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
