package io.herald;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where offsets are assigned, history and retained state are kept, and publications travel
 * between nodes (SPEC §6, §9). {@link Engines#memory()} serves one node; a Redis engine serves a
 * cluster. {@code EngineConformance} in herald-core's test jar checks every rule below; an engine
 * passes it before it ships.
 *
 * <h2>Streams, offsets and epochs</h2>
 * Each channel is a stream of {@link Publication}s. Within one <em>epoch</em> offsets start at 1
 * and increase by exactly 1 per publication, with no gap, with one exception: an engine that keeps
 * an epoch across a crash ({@link Engines#disk}) continues after a crash past every offset it may
 * have assigned (and delivered live) before it, never reusing one; the offsets it skips were never
 * acknowledged and are not a loss of anything acknowledged, and a position among them is covered
 * (what follows it is everything held). The epoch is an opaque non-empty string
 * that names one unbroken run of a stream: it changes whenever the stream's history is lost (the
 * channel was removed after its {@code cleanupDelay} or deleted, a memory engine restarted, a
 * Redis engine found its keys gone), and then offsets start again at 1. Two positions with the same
 * epoch are points of the same history. An engine may also forget the epoch of a stream that never
 * had a publication (nothing is lost then); a position in such an epoch is reported not covered
 * (below), never falsely recovered. Every {@link Publication} and {@link StreamPosition} carries
 * its epoch.
 *
 * <h2>Delivery to the sink (live)</h2>
 * After {@link #start}, the engine hands the channel's publications to
 * {@link PublicationSink#deliver}, for publications made on this node and, in a clustered engine,
 * on others, for every channel the hub has declared interest in ({@link #subscribe}) and possibly
 * others (the hub drops what nobody here subscribed to):
 * <ul>
 *   <li><b>Order</b>: per channel, in offset order, one at a time (never concurrently for one
 *       channel; different channels may be delivered concurrently).</li>
 *   <li><b>At most once</b>: a publication reaches the sink at most once. While the engine is
 *       healthy and the channel is subscribed, exactly once.</li>
 *   <li><b>Gaps are signalled</b>: when the engine cannot hand over a run of publications (a
 *       broken connection to Redis, a restarted Redis) or the stream's history is lost (removal,
 *       delete), it calls {@link PublicationSink#interrupted} with the position the stream
 *       continues from, before it delivers any later publication of the channel. A subscriber is
 *       thus never silently behind.</li>
 * </ul>
 *
 * <h2>The subscribe race</h2>
 * The hub reads {@link #position} while it holds its channel lock and adds the subscriber under
 * the same lock; {@link PublicationSink#deliver} and {@link PublicationSink#interrupted} take that
 * lock too. For a subscriber that starts at the returned position {@code P} to see exactly the
 * offsets after {@code P}, each once, the engine guarantees:
 * <ol>
 *   <li>every publication with an offset at or below {@code P} in {@code P}'s epoch was handed to the
 *       sink before {@code position} returned, or never will be (offsets are visible to
 *       {@code position} no later than the publication is delivered);</li>
 *   <li>every publication after {@code P} in {@code P}'s epoch is handed to the sink after
 *       {@code position} returned, unless the sink is told {@code interrupted} first;</li>
 *   <li>once {@code interrupted(channel, Q)} was called, {@code position} returns {@code Q} or a
 *       later position of {@code Q}'s epoch.</li>
 * </ol>
 * An engine that cannot know the position cheaply (a channel this node was not subscribed to)
 * returns the best it knows, and once interest is established either delivers, in order, the
 * publications after what it returned (from history), or calls {@code interrupted}.
 *
 * <h2>History (at least once, within its window)</h2>
 * Each channel keeps its last {@code history.size} publications for at most {@code history.ttl}
 * on the {@link HeraldClock} ({@link NamespaceOptions}). Eviction by size or age moves the start
 * of history forward within the epoch; it is not a loss and does not change the epoch. A
 * {@link #history} read returns every publication still held after the requested position, in
 * order, so a reader that also receives them live may see one twice and must skip offsets it has
 * (clients do, by offset). Whether a position is still {@link History#covered covered} says
 * whether recovery from it is complete.
 *
 * <h2>Retained state</h2>
 * For a namespace with {@code retained} on, the engine keeps the latest publication per key (the
 * message's {@code key}, else its event name), at most {@code retained.maxKeys} keys per channel;
 * a publish that would add a key past that fails with {@code too_large} and is not published.
 * Retained state survives history eviction and goes with the channel (removal, delete).
 *
 * <h2>Threading</h2>
 * Implementations are thread-safe. No method may block an event loop: {@link #publish},
 * {@link #subscribe}, {@link #unsubscribe}, {@link #history}, {@link #retained},
 * {@link #removeRetained}, {@link #remove}, {@link #health} and {@link #sweep} return at once
 * and complete their future later, possibly on an engine thread (callers hop back to their own
 * loop). {@link #position}, {@link #peek}, {@link #channelCount}, {@link #historyStats} and
 * {@link #historyTotals} read local state only: no
 * I/O, no wait, no lock held by a publisher while it does I/O. Only {@link #start} and
 * {@link #close} may block; Herald calls them from the thread that starts or closes it. The sink's
 * methods are called on engine or publisher threads, never while the engine holds a lock across
 * I/O.
 *
 * <h2>Plugging in an engine</h2>
 * Implement this interface, pass it to {@link Herald.Builder#engine}, and make its test class
 * extend {@code EngineConformance} (herald-core's test jar, classifier {@code tests}).
 */
public interface Engine extends AutoCloseable {

    /** Starts the engine; from then on publications go to the context's sink. Called once, by {@link Herald}; may block. */
    void start(Context context);

    /**
     * Assigns the message its epoch, offset and timestamp, records it in history and retained
     * state, and hands it to the sink. The future completes with the publication once the engine
     * holds it, or exceptionally with a {@link HeraldException}: {@code too_large} past
     * {@code retained.maxKeys}, {@code internal} when the engine is closed or unreachable.
     */
    CompletableFuture<Publication> publish(Message message);

    /**
     * Declares that this node has subscribers to {@code channel}: the hub calls it when the channel
     * gets its first local subscriber. A clustered engine starts receiving the channel's
     * publications from other nodes (Redis: {@code SUBSCRIBE}); the future completes once it does.
     * The hub calls {@code subscribe} and {@link #unsubscribe} for a channel alternately, starting
     * with {@code subscribe}, one at a time; the engine applies them in call order. If the future
     * fails, the engine still holds the interest and re-establishes it when it can (signalling
     * {@link PublicationSink#interrupted} for what it missed).
     */
    CompletableFuture<Void> subscribe(String channel);

    /** This node has no subscriber to {@code channel} any more (its last one left); see {@link #subscribe}. */
    CompletableFuture<Void> unsubscribe(String channel);

    /**
     * The channel's current position as this node knows it, creating the channel (offset 0, a new
     * epoch) if the engine holds nothing for it. Cheap and non-blocking: the hub reads it under its
     * channel lock (see "The subscribe race" above). Reading a position is not activity: it does not
     * keep an idle channel from being removed.
     */
    StreamPosition position(String channel);

    /**
     * The channel's position if the engine holds state for it, without creating it (stats and
     * admin reads). Like {@link #position}, cheap and not activity.
     */
    Optional<StreamPosition> peek(String channel);

    /**
     * Reads history: at most {@code limit} publications after {@code since}, oldest first, and
     * whether {@code since} is still {@link History#covered covered}. With an empty epoch
     * ({@link StreamPosition#NONE}, or any position whose epoch is {@code ""}) the read starts at the
     * oldest publication held. Not covered: no publications. Does not create the channel and is not
     * activity.
     *
     * @param limit at least 0; 0 asks only for the position and coverage
     */
    CompletableFuture<History> history(String channel, StreamPosition since, int limit);

    /**
     * The channel's retained state: the latest publication of each key, oldest first. Empty when
     * the namespace does not retain or the engine holds nothing for the channel.
     */
    CompletableFuture<List<Publication>> retained(String channel);

    /** Forgets {@code key} in the channel's retained state; completes with whether it was there. */
    CompletableFuture<Boolean> removeRetained(String channel, String key);

    /**
     * Removes a channel and all its state at once (admin delete): its history is lost, so the sink
     * is told {@link PublicationSink#interrupted} and the next publication starts a new epoch at
     * offset 1. Completes with whether the engine held anything for it.
     */
    CompletableFuture<Boolean> remove(String channel);

    /** Whether the engine can serve, for {@code /health}. */
    CompletableFuture<Health> health();

    /**
     * Removes, with all their state, channels that completed more than their namespace's
     * {@code cleanupDelay} ago, and channels idle that long (no publish) with no subscriber on
     * this node; each removal is signalled like {@link #remove}. Also drops history older than
     * {@code history.ttl}. Completes with how many channels were removed. Herald calls it
     * periodically, off the event loops.
     */
    CompletableFuture<Integer> sweep();

    /** Channels the engine holds state for on this node (active and completed, not yet removed); cheap. */
    int channelCount();

    /**
     * What the channel's history holds on this node, for stats and admin reads, without creating
     * the channel; empty when the engine holds nothing for it. Local state only, like {@link #peek}
     * (the memory engine takes the channel's lock for a moment, as {@link #history} does). The
     * default tells nothing: an engine that cannot know it cheaply leaves it empty.
     */
    default Optional<HistoryStats> historyStats(String channel) {
        return Optional.empty();
    }

    /**
     * History over every channel held on this node, for {@code /metrics}: read at every scrape,
     * so it must cost a few reads, not a pass over the channels. The default tells nothing
     * ({@link HistoryTotals#NONE}).
     */
    default HistoryTotals historyTotals() {
        return HistoryTotals.NONE;
    }

    /** Stops the engine; later calls fail. May block. */
    @Override
    void close();

    /** Receives publications from the engine: the local hub. Its methods are cheap and never block. */
    interface PublicationSink {
        /** The next publication of its channel, in offset order (see the contract above). */
        void deliver(Publication publication);

        /**
         * The channel's stream does not continue from what was delivered: history was lost (removal,
         * delete, a reset store: {@code position} is then offset 0 of a new epoch) or publications
         * could not be delivered (a broken connection). Publications after {@code position}
         * follow. Called before any of them is delivered.
         */
        void interrupted(String channel, StreamPosition position);

        /** Whether anyone on this node is subscribed to {@code channel} (idle channels with none are removed). */
        boolean hasSubscribers(String channel);
    }

    /** What an engine is started with. */
    record Context(PublicationSink sink, HeraldClock clock, HeraldConfig config) {
    }

    /** An engine's health: its kind ({@code memory}, {@code redis}), whether it is up, and why not. */
    record Health(String engine, boolean up, String detail) {
    }
}
