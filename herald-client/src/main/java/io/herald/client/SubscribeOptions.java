package io.herald.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a subscription receives and who hears it. Immutable; build with {@link #newBuilder()}.
 * Every listener runs on the client's thread, one at a time, in the order the server sent (see
 * {@link HeraldClient}); by default each does nothing.
 *
 * <pre>{@code
 * SubscribeOptions.newBuilder()
 *         .events(Set.of("progress", "completed"))
 *         .onState(state -> state.forEach(this::show))
 *         .onMessage(this::show)
 *         .onNotRecovered(gap -> reload())
 *         .build();
 * }</pre>
 */
public final class SubscribeOptions {
    /** No filter, no listeners. */
    public static final SubscribeOptions DEFAULTS = newBuilder().build();

    private final Set<String> events;
    private final Optional<Position> since;
    private final Consumer<ChannelMessage> onMessage;
    private final Consumer<List<ChannelMessage>> onState;
    private final Consumer<Lag> onLag;
    private final Consumer<NotRecovered> onNotRecovered;
    private final Consumer<String> onUnsubscribed;
    private final Consumer<ServerErrorException> onError;

    private SubscribeOptions(Builder b) {
        events = Set.copyOf(b.events);
        since = b.since;
        onMessage = b.onMessage;
        onState = b.onState;
        onLag = b.onLag;
        onNotRecovered = b.onNotRecovered;
        onUnsubscribed = b.onUnsubscribed;
        onError = b.onError;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /** The event names to receive; empty (the default) for all. */
    public Set<String> events() {
        return events;
    }

    /** The position to resume from at the first subscribe; empty (the default) to start at the live stream. */
    public Optional<Position> since() {
        return since;
    }

    public Consumer<ChannelMessage> onMessage() {
        return onMessage;
    }

    public Consumer<List<ChannelMessage>> onState() {
        return onState;
    }

    public Consumer<Lag> onLag() {
        return onLag;
    }

    public Consumer<NotRecovered> onNotRecovered() {
        return onNotRecovered;
    }

    public Consumer<String> onUnsubscribed() {
        return onUnsubscribed;
    }

    public Consumer<ServerErrorException> onError() {
        return onError;
    }

    @Override
    public String toString() {
        return "SubscribeOptions{events=" + events + ", since=" + since + '}';
    }

    public static final class Builder {
        private Set<String> events = Set.of();
        private Optional<Position> since = Optional.empty();
        private Consumer<ChannelMessage> onMessage = m -> { };
        private Consumer<List<ChannelMessage>> onState = s -> { };
        private Consumer<Lag> onLag = l -> { };
        private Consumer<NotRecovered> onNotRecovered = n -> { };
        private Consumer<String> onUnsubscribed = r -> { };
        private Consumer<ServerErrorException> onError = e -> { };

        private Builder() {
        }

        /** Only these event names (the server filters); empty for all. */
        public Builder events(Set<String> events) {
            this.events = Set.copyOf(events);
            return this;
        }

        /**
         * Resume from {@code position} (one a {@link Subscription#position()} gave, stored by the
         * application): the first subscribe recovers every message after it, or reports
         * {@link NotRecovered}.
         */
        public Builder since(Position position) {
            this.since = Optional.of(position);
            return this;
        }

        /** Each message, in offset order, exactly once across reconnects. */
        public Builder onMessage(Consumer<ChannelMessage> listener) {
            this.onMessage = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The channel's retained state (the latest message of each key, oldest first), before any
         * live message: on the first subscribe and whenever a resume was not recovered, for a
         * channel whose namespace retains state.
         */
        public Builder onState(Consumer<List<ChannelMessage>> listener) {
            this.onState = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The server skipped messages for this slow client; the client recovers them (see {@link Lag}). */
        public Builder onLag(Consumer<Lag> listener) {
            this.onLag = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** A resume that could not be recovered: messages may be missing (see {@link NotRecovered}). */
        public Builder onNotRecovered(Consumer<NotRecovered> listener) {
            this.onNotRecovered = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The server ended the subscription, with its reason ({@code deleted}: the channel was
         * deleted; {@code forbidden}: a renewed token no longer allows it). Nothing more comes.
         */
        public Builder onUnsubscribed(Consumer<String> listener) {
            this.onUnsubscribed = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The server refused the subscribe. A refusal that retrying cannot fix ({@code forbidden},
         * {@code bad_request}, {@code rate_limited}, …) ends the subscription; after a
         * {@linkplain ErrorCode#retryable() retryable} one the client subscribes again after a backoff.
         */
        public Builder onError(Consumer<ServerErrorException> listener) {
            this.onError = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public SubscribeOptions build() {
            for (String e : events) {
                if (e == null || e.isEmpty()) {
                    throw new IllegalArgumentException("events: an event name must not be empty");
                }
            }
            return new SubscribeOptions(this);
        }
    }
}
