package io.herald.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.herald.client.ChannelMessage;
import io.herald.client.ConnectionLostException;
import io.herald.client.ConnectionStatus;
import io.herald.client.Lag;
import io.herald.client.NotRecovered;
import io.herald.client.Position;
import io.herald.client.ServerErrorException;
import io.herald.client.SubscribeOptions;
import io.herald.client.internal.ChannelSubscription.Phase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's subscriptions and what keeps them exactly-once across connections (SPEC §6): each
 * remembers its channel's epoch and last offset, resubscribes from there on every new connection
 * and after every {@code lag}, ignores the frames of a channel between a subscribe and its answer
 * (they belong to the subscription it replaces), and drops any offset it already delivered. Frame
 * handlers and command sends run on the client's thread; {@link #add} and {@link #unsubscribe} on
 * any.
 */
final class Channels {
    private static final Logger log = LoggerFactory.getLogger(Channels.class);

    private final CommandSink sink;
    private final Scheduler scheduler;
    private final Backoff backoff;
    /** The active subscriptions by channel: added and removed on any thread, read on the client's. */
    private final Map<String, ChannelSubscription> byChannel = new ConcurrentHashMap<>();
    /** The subscriptions awaiting an answer, by command id. Client thread. */
    private final Map<Long, ChannelSubscription> byId = new HashMap<>();

    Channels(CommandSink sink, Scheduler scheduler, Backoff backoff) {
        this.sink = sink;
        this.scheduler = scheduler;
        this.backoff = backoff;
    }

    /**
     * A new subscription to {@code channel}, subscribed now if connected, else on the next welcome.
     *
     * @throws IllegalStateException when the client already has an active subscription to it
     */
    ChannelSubscription add(String channel, SubscribeOptions options) {
        ChannelSubscription sub = new ChannelSubscription(this, channel, options);
        ChannelSubscription existing = byChannel.putIfAbsent(channel, sub);
        if (existing != null) {
            throw new IllegalStateException("already subscribed to " + channel + ": unsubscribe first");
        }
        scheduler.execute(() -> {
            if (sub.isActive() && sub.phase == Phase.IDLE && sink.connected()) {
                subscribe(sub);
            }
        });
        return sub;
    }

    /** Ends {@code sub} at once for the application; the server is told on the client's thread. */
    void unsubscribe(ChannelSubscription sub) {
        if (!sub.deactivate()) {
            return;
        }
        byChannel.remove(sub.channel, sub);
        scheduler.execute(() -> {
            sub.cancelRetry();
            if (sub.phase != Phase.IDLE && sink.connected()) {
                sink.send(ClientJson.unsubscribe(sink.nextId(), sub.channel));
            }
            byId.remove(sub.awaitingId);
            sub.phase = Phase.IDLE;
        });
    }

    /** A new connection was welcomed: every subscription resumes from its position. */
    void connected() {
        for (ChannelSubscription sub : byChannel.values()) {
            sub.cancelRetry();
            subscribe(sub);
        }
    }

    /** The connection ended: nothing is asked any more; the next welcome starts over. */
    void disconnected() {
        byId.clear();
        for (ChannelSubscription sub : byChannel.values()) {
            sub.phase = Phase.IDLE;
            sub.cancelRetry();
        }
    }

    /** The client stopped for good ({@code closed}) or until the application connects again. */
    void stopped(ConnectionStatus why, boolean closed) {
        disconnected();
        for (ChannelSubscription sub : byChannel.values()) {
            sub.readyFuture().completeExceptionally(ConnectionLostException.disconnected(why));
            if (closed) {
                sub.deactivate();
            }
        }
        if (closed) {
            byChannel.clear();
        }
    }

    private void subscribe(ChannelSubscription sub) {
        long id = sink.nextId();
        Position since = sub.position;
        sub.sent(id, since);
        byId.put(id, sub);
        sink.send(ClientJson.subscribe(id, sub.channel, sub.options.events(), since));
    }

    /** {@code subscribed}: the answer to the subscribe it names; then the state, if any, before any message. */
    void subscribed(JsonNode frame) {
        ChannelSubscription sub = byChannel.get(frame.path("channel").asText());
        JsonNode id = frame.get("id");
        if (sub == null || sub.phase != Phase.PENDING || (id != null && id.asLong() != sub.awaitingId)) {
            return; // unsubscribed meanwhile, or the answer to a subscribe a later one replaced
        }
        byId.remove(sub.awaitingId);
        Position at = new Position(frame.path("epoch").asText(), frame.path("offset").asLong());
        boolean recovered = frame.path("recovered").asBoolean();
        Position since = sub.sentSince;
        sub.phase = Phase.LIVE;
        sub.refusals = 0;
        if (since == null || !recovered) {
            sub.position = at;
            if (since != null) {
                log.info("herald client: {} resumed at {} but not recovered from {}: messages in between may be missing",
                        sub.channel, at, since);
                Listeners.call(sub.options.onNotRecovered(), new NotRecovered(sub.channel, since, at), "onNotRecovered");
            }
        }
        JsonNode state = frame.get("state");
        if (state != null && state.isArray() && !state.isEmpty() && sub.isActive()) {
            List<ChannelMessage> values = new ArrayList<>(state.size());
            for (JsonNode m : state) {
                values.add(message(sub.channel, m));
            }
            Listeners.call(sub.options.onState(), List.copyOf(values), "onState");
        }
        sub.readyFuture().complete(sub.position);
    }

    /**
     * {@code message} or {@code batch}: each message after the subscription's position, in order;
     * an offset it already delivered (a replay overlapping what came live) is dropped.
     */
    void messages(String channel, Iterable<JsonNode> elements) {
        ChannelSubscription sub = byChannel.get(channel);
        if (sub == null || sub.phase != Phase.LIVE) {
            return;
        }
        for (JsonNode element : elements) {
            ChannelMessage m = message(channel, element);
            Position p = sub.position;
            if (m.offset() <= p.offset()) {
                continue;
            }
            if (!sub.isActive()) {
                return;
            }
            if (sub.acceptGap) {
                sub.acceptGap = false;
                if (m.offset() > p.offset() + 1) {
                    Listeners.call(sub.options.onNotRecovered(), new NotRecovered(sub.channel, p, p.at(m.offset() - 1)),
                            "onNotRecovered");
                }
            }
            sub.position = p.at(m.offset());
            Listeners.call(sub.options.onMessage(), m, "onMessage");
        }
    }

    /**
     * {@code lag}: the server skipped messages; the subscription resumes from its position to get
     * them from history (the new subscription replaces the server's; what followed the gap comes
     * again). The server pages a large catch-up through its bounded buffer, oldest first; should
     * a catch-up still come back as a second {@code lag} before any progress (an older server
     * kept the newest of a catch-up larger than the buffer), the client takes the loss and reports
     * it as {@link NotRecovered} with the next message, instead of asking again for what cannot come.
     */
    void lag(JsonNode frame) {
        ChannelSubscription sub = byChannel.get(frame.path("channel").asText());
        if (sub == null) {
            return;
        }
        Listeners.call(sub.options.onLag(), new Lag(sub.channel, frame.path("skipped").asLong()), "onLag");
        if (!sub.isActive() || sub.phase != Phase.LIVE || !sink.connected()) {
            return;
        }
        if (sub.position.equals(sub.lagFrom)) {
            log.info("herald client: the catch-up of {} from {} overflowed the server's outbound buffer; the gap is reported",
                    sub.channel, sub.position);
            sub.acceptGap = true;
        } else {
            sub.lagFrom = sub.position;
            subscribe(sub);
        }
    }

    /**
     * {@code unsubscribed} without an id: the server ended a live subscription (its channel deleted,
     * a renewed token no longer allowing it). One that is being resubscribed is left alone: its new
     * subscription replaces the one that ended.
     */
    void unsubscribed(JsonNode frame) {
        ChannelSubscription sub = byChannel.get(frame.path("channel").asText());
        if (sub == null || sub.phase != Phase.LIVE || !sub.deactivate()) {
            return;
        }
        byChannel.remove(sub.channel, sub);
        sub.phase = Phase.IDLE;
        Listeners.call(sub.options.onUnsubscribed(), frame.path("reason").asText(""), "onUnsubscribed");
    }

    /**
     * An {@code error} answering command {@code id}, if it was a subscribe (returns whether it was):
     * a retryable refusal subscribes again after a backoff, any other ends the subscription.
     */
    boolean error(long id, ServerErrorException error) {
        ChannelSubscription sub = byId.remove(id);
        if (sub == null) {
            return false;
        }
        if (sub.phase != Phase.PENDING || sub.awaitingId != id) {
            return true;
        }
        sub.phase = Phase.IDLE;
        if (sub.isActive()) {
            Listeners.call(sub.options.onError(), error, "onError");
        }
        if (error.code().retryable() && sub.isActive()) {
            long delay = backoff.delayMillis(sub.refusals++);
            log.info("herald client: subscribe to {} refused ({}); again in {} ms", sub.channel, error.getMessage(), delay);
            sub.retry = scheduler.schedule(() -> {
                sub.retry = null;
                if (sub.isActive() && sub.phase == Phase.IDLE && sink.connected()) {
                    subscribe(sub);
                }
            }, TimeUnit.MILLISECONDS.toNanos(delay));
            return true;
        }
        if (sub.deactivate()) {
            byChannel.remove(sub.channel, sub);
        }
        sub.readyFuture().completeExceptionally(error);
        return true;
    }

    /**
     * A message of {@code channel} from its JSON shape {@code {"event","offset","ts","key"?,"data"}}
     * (a {@code message} frame, an element of a {@code batch}, an entry of {@code state}).
     *
     * @throws IllegalArgumentException when a field is missing or mistyped
     */
    private static ChannelMessage message(String channel, JsonNode m) {
        JsonNode event = m.get("event");
        JsonNode offset = m.get("offset");
        if (event == null || !event.isTextual() || offset == null || !offset.canConvertToLong()) {
            throw new IllegalArgumentException("a message needs a text 'event' and an integer 'offset': " + ClientJson.abbreviate(m));
        }
        JsonNode key = m.get("key");
        JsonNode data = m.get("data");
        return new ChannelMessage(channel, event.asText(), offset.asLong(),
                m.path("ts").asLong(), key != null && key.isTextual() ? Optional.of(key.asText()) : Optional.empty(),
                data == null ? NullNode.getInstance() : data);
    }
}
