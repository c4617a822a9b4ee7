package io.herald.internal;

import io.herald.ClientSession;
import io.herald.History;
import io.herald.CloseCodes;
import io.herald.NamespaceOptions;
import io.herald.Outlet;
import io.herald.Publication;
import io.herald.StreamPosition;
import io.netty.util.concurrent.EventExecutor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 300 lines on purpose: one connection's subscriptions and everything that holds their
// messages back (backlogs, recovery, retained state, shutdown flush) share the backlog's invariants.
/**
 * The core's side of one client connection: its subscriptions and, while its socket is not
 * writable, their backlogs. Confined to the outlet's event loop.
 */
final class LocalSession implements ClientSession {
    private static final Logger log = LoggerFactory.getLogger(LocalSession.class);

    private static final Subscription[] NONE = new Subscription[0];

    private final Hub hub;
    private final Outlet outlet;
    /**
     * The subscriptions, copy-on-write: replaced on the loop, read anywhere. An array rather than a
     * map because a connection has few (most one) and an idle connection's bytes add up.
     */
    private volatile Subscription[] subscriptions = NONE;
    private boolean closed;

    LocalSession(Hub hub, Outlet outlet) {
        this.hub = hub;
        this.outlet = outlet;
    }

    EventExecutor executor() {
        return outlet.executor();
    }

    boolean isWritable() {
        return outlet.isWritable();
    }

    /** Sends a frame, possibly shared with other sessions; the caller keeps ownership of it. */
    void send(EncodedFrame frame) {
        if (!closed) {
            outlet.send(frame);
        }
    }

    /** Sends {@code messages} of {@code channel} as one frame of this session's own. */
    private void sendOwn(String channel, List<Encoded> messages) {
        EncodedFrame frame = new EncodedFrame(channel, messages);
        try {
            outlet.send(frame);
        } finally {
            frame.release();
        }
    }

    /** Tells the client that {@code skipped} messages of {@code channel} were dropped for it. */
    void lag(String channel, long skipped) {
        if (!closed) {
            outlet.lag(channel, skipped);
            hub.stats().of(channel).lagFrame();
        }
    }

    /** Queues {@code messages} for {@code sub} behind what already waits, then sends what the socket takes. */
    void enqueue(Subscription sub, List<Encoded> messages, NamespaceOptions options) {
        if (closed) {
            return;
        }
        if (sub.absorbLive(messages.get(messages.size() - 1).offset())) {
            return; // history has them: the catch-up reads them in turn
        }
        if (sub.backlog == null) {
            sub.backlog = new Backlog(options.outboundBufferBytes());
        }
        boolean coalesce = options.throttleRate() > 0;
        Backlog backlog = sub.backlog;
        long coalescedBefore = backlog.coalesced();
        long droppedBefore = backlog.droppedTotal();
        for (Encoded m : messages) {
            if (!backlog.add(m, coalesce)) {
                log.warn("connection {}: slow consumer on {}: {} bytes of messages that cannot be dropped are waiting;"
                        + " closing with 4003", outlet.id(), sub.channel, sub.backlog.bytes());
                outlet.close(CloseCodes.SLOW_CONSUMER, "slow consumer");
                close();
                return;
            }
        }
        ChannelStats stats = hub.stats().of(sub.channel);
        stats.coalesced(backlog.coalesced() - coalescedBefore);
        stats.dropped(backlog.droppedTotal() - droppedBefore);
        if (outlet.isWritable()) {
            drain(sub, options.batchMaxSize());
        }
    }

    /**
     * {@code skipped} messages for {@code sub}, none above {@code upTo}, were dropped before they
     * reached its backlog (the feed could not keep up): its next {@code lag} frame, sent before what
     * waits, counts them. A catch-up under way reads them from history instead.
     */
    void skipped(Subscription sub, long skipped, long upTo, NamespaceOptions options) {
        if (closed) {
            return;
        }
        if (sub.absorbLive(upTo)) {
            return;
        }
        if (sub.backlog == null) {
            sub.backlog = new Backlog(options.outboundBufferBytes());
        }
        sub.backlog.addSkipped(skipped);
        if (outlet.isWritable()) {
            drain(sub, options.batchMaxSize());
        }
    }

    /** The channel's fan-out could not keep up even with what must not be dropped: close with 4003. */
    void slowConsumer(Subscription sub) {
        if (closed) {
            return;
        }
        log.debug("connection {}: closed with 4003, the fan-out of {} fell too far behind", outlet.id(), sub.channel);
        outlet.close(CloseCodes.SLOW_CONSUMER, "slow consumer");
        close();
    }

    @Override
    public void writable() {
        if (closed) {
            return;
        }
        for (Subscription sub : subscriptions) {
            if (sub.backlog != null) {
                drain(sub, hub.options(sub.channel).batchMaxSize());
            }
            if (!outlet.isWritable()) {
                return;
            }
        }
    }

    /** Sends the backlog while the socket takes it: a {@code lag} frame first if anything was dropped. */
    private void drain(Subscription sub, int maxSize) {
        if (sub.replaying) {
            return; // the history goes first: see hold
        }
        Backlog backlog = sub.backlog;
        while (outlet.isWritable()) {
            long skipped = backlog.takeSkipped();
            if (skipped > 0) {
                log.info("connection {}: {} messages on {} skipped for a slow consumer", outlet.id(), skipped, sub.channel);
                lag(sub.channel, skipped);
            }
            if (backlog.isEmpty()) {
                if (sub.catchingUp()) {
                    nextPage(sub); // the page is out: the next one from history
                } else {
                    sub.backlog = null;
                }
                return;
            }
            List<Encoded> chunk = backlog.poll(maxSize);
            sendOwn(sub.channel, chunk);
            hub.stats().of(sub.channel).delivered(chunk.size());
        }
    }

    /**
     * Writes what waits in every backlog now, writable or not (graceful shutdown: the backlogs are
     * bounded, and nothing acknowledged may stay behind); a {@code lag} frame first where
     * messages were dropped.
     */
    @Override
    public void flush() {
        if (closed) {
            return;
        }
        for (Subscription sub : subscriptions) {
            Backlog backlog = sub.backlog;
            if (backlog == null || sub.replaying) {
                continue; // a recovery in progress: its live messages must not overtake the history
            }
            long skipped = backlog.takeSkipped();
            if (skipped > 0) {
                lag(sub.channel, skipped);
            }
            int maxSize = hub.options(sub.channel).batchMaxSize();
            while (!backlog.isEmpty()) {
                List<Encoded> chunk = backlog.poll(maxSize);
                sendOwn(sub.channel, chunk);
                hub.stats().of(sub.channel).delivered(chunk.size());
            }
            sub.backlog = null;
            sub.recovery = null; // a catch-up ends here: the client resumes the rest from its position
        }
    }

    /** The hub ended {@code sub} (its channel was deleted): forget it and tell the client. */
    void evicted(Subscription sub, String reason) {
        if (closed || find(sub.channel) != sub) {
            return;
        }
        remove(sub.channel);
        outlet.unsubscribed(sub.channel, reason);
    }

    @Override
    public CompletableFuture<Subscribed> subscribe(String channel, Optional<Set<String>> events,
            Optional<StreamPosition> since) {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        Subscription previous = remove(channel);
        if (previous != null) {
            hub.unsubscribe(previous);
        }
        // the channel's name as the hub already holds it, so its subscribers share one String
        Subscription sub = new Subscription(hub.canonicalName(channel), this,
                events.filter(e -> !e.isEmpty()).map(Set::copyOf).orElse(null));
        StreamPosition position = hub.subscribe(sub);
        Subscription[] old = subscriptions;
        Subscription[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = sub;
        subscriptions = next;
        StreamPosition from = since.orElse(null);
        boolean recoverable = from != null && from.epoch().equals(position.epoch()) && from.offset() <= position.offset();
        if (recoverable && from.offset() == position.offset()) {
            return CompletableFuture.completedFuture(new Subscribed(position, true)); // nothing missed
        }
        if (recoverable || hub.options(sub.channel).retained()) {
            return hold(sub, recoverable ? from : null, position);
        }
        return CompletableFuture.completedFuture(new Subscribed(position, false));
    }

    /**
     * Starts {@code sub} with what it needs before the live stream (SPEC §6): the history after
     * {@code from} (null: nothing to recover), and, when that cannot be recovered and the channel
     * retains state, the state as of {@code position}. Until the engine answers, live messages
     * (after {@code position}) wait in the subscription's backlog; the history goes in front of
     * them, so the client sees every offset once, in order, with no gap at the seam. The replay goes
     * through the backlog, so a catch-up is compact: keyed values coalesce. One larger than the
     * outbound bound goes a page at a time, oldest first, each read from history once the client has
     * taken the one before ({@link #nextPage}): nothing the history holds is dropped for its size,
     * and what waits in memory stays within the bound. The future completes on the loop, before
     * anything held is sent.
     */
    private CompletableFuture<Subscribed> hold(Subscription sub, StreamPosition from, StreamPosition position) {
        NamespaceOptions options = hub.options(sub.channel);
        sub.backlog = new Backlog(options.outboundBufferBytes());
        sub.replaying = true;
        sub.recovery = new Subscription.Recovery(position.offset());
        int limit = from == null ? 0 : pageLimit(from.offset(), position.offset());
        CompletableFuture<History> read = from == null ? CompletableFuture.completedFuture(null)
                : hub.history(sub.channel, from, limit);
        CompletableFuture<Subscribed> done = new CompletableFuture<>();
        read.whenComplete((history, err) -> {
            if (err != null) {
                log.warn("connection {}: history of {} could not be read; subscribing without recovery: {}",
                        outlet.id(), sub.channel, err.toString());
            }
            boolean recovered = history != null && history.covered() && history.epoch().equals(position.epoch());
            CompletableFuture<List<Publication>> state = !recovered && options.retained() ? hub.retained(sub.channel)
                    : CompletableFuture.completedFuture(List.of());
            state.whenComplete((values, e) -> executor().execute(() -> {
                if (e != null) {
                    log.warn("connection {}: retained state of {} could not be read: {}", outlet.id(), sub.channel, e.toString());
                }
                finishReplay(sub, recovered ? from : position, position,
                        recovered ? history.publications() : List.of(), limit, options);
                done.complete(new Subscribed(position, recovered, e == null ? stateAt(values, position, sub) : List.of()));
                if (!closed && sub.backlog != null && outlet.isWritable()) {
                    drain(sub, options.batchMaxSize());
                }
            }));
        });
        return done;
    }

    /** The retained values as of {@code position} that the subscription's event filter lets through. */
    private static List<Publication> stateAt(List<Publication> state, StreamPosition position, Subscription sub) {
        List<Publication> out = new java.util.ArrayList<>(state.size());
        for (Publication p : state) {
            if (p.offset() <= position.offset() && (sub.events == null || sub.events.contains(p.event()))) {
                out.add(p);
            }
        }
        return out;
    }

    /** The most publications a catch-up reads from history at once; the outbound bound cuts a page further. */
    static final int PAGE = 1024;

    private static int pageLimit(long from, long to) {
        return (int) Math.min(PAGE, to - from);
    }

    /**
     * Puts the missed publications (a history read of at most {@code limit}) in front of what
     * arrived live meanwhile; when they do not all fit the outbound bound, or the read was full and
     * stopped short of {@code position}, or live messages were dropped while it was read, puts in
     * what fits, oldest first, and goes on catching up from history. A read that was not full holds everything up to {@code position}: offsets may
     * skip (a restart after a crash moves a channel's next offset on), and a skip is no loss.
     */
    private void finishReplay(Subscription sub, StreamPosition from, StreamPosition position, List<Publication> missed,
            int limit, NamespaceOptions options) {
        sub.replaying = false;
        if (closed || find(sub.channel) != sub) {
            return; // unsubscribed meanwhile
        }
        Backlog live = sub.backlog;
        long bound = options.outboundBufferBytes();
        Backlog replay = new Backlog(bound);
        boolean coalesce = options.throttleRate() > 0;
        long last = from.offset();
        boolean full = false;
        for (Publication p : missed) {
            if (p.offset() <= from.offset() || p.offset() > position.offset()) {
                continue;
            }
            if (sub.events == null || sub.events.contains(p.event())) {
                Encoded m = Encoded.of(p);
                if (!replay.isEmpty() && replay.bytes() + m.element().length > bound) {
                    full = true; // the page is full
                    break;
                }
                replay.add(m, coalesce);
            }
            last = p.offset();
        }
        if (!full && missed.size() < limit) {
            last = position.offset(); // history holds nothing more up to the position
        }
        long skipped = live.takeSkipped();
        if (last < position.offset() || (skipped > 0 && from.offset() < position.offset())) {
            // a catch-up larger than the bound: this page now, the rest from history as the client reads;
            // what arrived live meanwhile is in history too, including what the live backlog had to drop
            Subscription.Recovery r = sub.recovery;
            r.epoch = position.epoch();
            r.from = last;
            r.catchUpTo = Math.max(position.offset(), r.seenUpTo);
            sub.backlog = replay;
            return;
        }
        sub.recovery = null;
        for (Encoded m : live.poll(Integer.MAX_VALUE)) {
            if (!replay.add(m, coalesce)) {
                slowConsumer(sub);
                return;
            }
        }
        replay.addSkipped(skipped);
        sub.backlog = replay.isEmpty() && skipped == 0 ? null : replay;
    }

    /**
     * Reads the next page of a catch-up from history, once the client has taken the one before.
     * Live messages from now on wait behind it, so if this page reaches the end of the catch-up
     * the subscription follows the live stream with no gap at the seam. When history no longer
     * holds the rest (evicted meanwhile, or the channel was reset), the client is told with a
     * {@code lag} frame and the subscription goes on live.
     */
    private void nextPage(Subscription sub) {
        NamespaceOptions options = hub.options(sub.channel);
        Subscription.Recovery r = sub.recovery;
        StreamPosition from = new StreamPosition(r.epoch, r.from);
        StreamPosition to = new StreamPosition(r.epoch, r.catchUpTo);
        r.catchUpTo = Subscription.NOT_CATCHING_UP;
        r.seenUpTo = to.offset();
        sub.backlog = new Backlog(options.outboundBufferBytes());
        sub.replaying = true;
        int limit = pageLimit(from.offset(), to.offset());
        hub.history(sub.channel, from, limit).whenComplete((history, err) -> executor().execute(() -> {
            if (err != null || !history.covered() || !history.epoch().equals(to.epoch())) {
                sub.replaying = false;
                if (closed || find(sub.channel) != sub) {
                    return;
                }
                long lost = to.offset() - from.offset();
                log.info("connection {}: catching up on {}: history no longer holds offsets {} to {}{}", outlet.id(),
                        sub.channel, from.offset() + 1, to.offset(), err == null ? "" : " (" + err + ")");
                sub.recovery = null;
                sub.backlog.addSkipped(lost);
                hub.stats().of(sub.channel).dropped(lost);
            } else {
                finishReplay(sub, from, to, history.publications(), limit, options);
            }
            if (!closed && sub.backlog != null && outlet.isWritable()) {
                drain(sub, options.batchMaxSize());
            }
        }));
    }

    @Override
    public boolean unsubscribe(String channel) {
        Subscription sub = remove(channel);
        if (sub == null) {
            return false;
        }
        hub.unsubscribe(sub);
        return true;
    }

    /**
     * Messages waiting in this session's backlogs (the socket did not take them yet), read without
     * stopping the loop: approximate, for monitoring.
     */
    @Override
    public long backlogMessages() {
        long n = 0;
        for (Subscription sub : subscriptions) {
            Backlog b = sub.backlog;
            if (b != null) {
                n += b.size();
            }
        }
        return n;
    }

    @Override
    public Set<String> channels() {
        Subscription[] subs = subscriptions;
        Set<String> names = new LinkedHashSet<>(subs.length * 2);
        for (Subscription sub : subs) {
            names.add(sub.channel);
        }
        return Collections.unmodifiableSet(names);
    }

    private Subscription find(String channel) {
        for (Subscription sub : subscriptions) {
            if (sub.channel.equals(channel)) {
                return sub;
            }
        }
        return null;
    }

    /** Removes and returns the subscription to {@code channel}, or null. */
    private Subscription remove(String channel) {
        Subscription[] old = subscriptions;
        for (int i = 0; i < old.length; i++) {
            if (old[i].channel.equals(channel)) {
                Subscription[] next = old.length == 1 ? NONE : new Subscription[old.length - 1];
                System.arraycopy(old, 0, next, 0, i);
                System.arraycopy(old, i + 1, next, i, old.length - i - 1);
                subscriptions = next;
                return old[i];
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Subscription sub : subscriptions) {
            hub.unsubscribe(sub);
        }
        subscriptions = NONE;
    }
}
