package io.herald.internal;

import io.herald.HeraldClock;
import io.herald.NamespaceOptions;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

// Over 300 lines on purpose: the pass (slices, its queue, its lag announcements, the flush
// waiters) is one piece of loop-confined state; split, its invariants would span classes.
/**
 * One channel's delivery on one event loop: a {@link DeliveryShaper} shared by every subscriber
 * of the channel whose connection this loop owns. Each frame the shaper emits is encoded once and
 * the same bytes are written to every member in step; a member whose socket is not writable, or
 * that joined in the middle of a frame, or filters events, gets its own frame or backlog.
 *
 * <p>{@link #members} is copy-on-write, replaced under the channel's hub lock; everything else is
 * confined to {@link #loop}.
 */
final class ChannelFeed implements DeliveryShaper.Output, DeliveryShaper.Wakeups {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChannelFeed.class);
    private static final Subscription[] NONE = new Subscription[0];

    final String channel;
    /** Herald's own channel ({@code $…}): its deliveries stay out of the live stats' latencies. */
    private final boolean system;
    final EventExecutor loop;
    private final HeraldClock clock;
    private final NamespaceOptions options;
    private final StatsRegistry stats;
    private final DeliveryShaper shaper;
    volatile Subscription[] members = NONE;
    private ScheduledFuture<?> timer;
    private long timerAt = DeliveryShaper.NONE;
    private boolean disposed;
    /** Members written per task in a pass; see {@link #startPass}. */
    static final int SLICE = 256;
    /** The pass under way: its frame, its members (a snapshot), the next index, messages written; null members when none. */
    private List<Encoded> passMessages;
    private Subscription[] passMembers;
    private EncodedFrame passFrame;
    private int passIndex;
    private long passWritten;
    /** Counts passes, so a stale continuation of an ended pass does nothing. */
    private long pass;
    /** Frames emitted while a pass was under way, in order, bounded; null until needed. */
    private FeedQueue queued;
    /** Plain messages the queue dropped, told to each member of the pass under way before its frame. */
    private FeedQueue.Skipped passSkipped = FeedQueue.Skipped.NONE;

    /** The batch timer fired during a pass: wake the shaper when the pass ends. */
    private boolean wakeDeferred;
    /** Completed once the passes under way are over (a graceful shutdown's flush); null when none wait. */
    private List<CompletableFuture<Void>> flushWaiters;

    ChannelFeed(String channel, EventExecutor loop, HeraldClock clock, NamespaceOptions options, StatsRegistry stats) {
        this.channel = channel;
        this.system = io.herald.ChannelNames.isSystem(channel);
        this.loop = loop;
        this.clock = clock;
        this.options = options;
        this.stats = stats;
        this.shaper = new DeliveryShaper(options, this, this);
    }

    NamespaceOptions options() {
        return options;
    }

    /** Runs on {@link #loop}, in offset order. */
    void offer(Encoded m) {
        if (!disposed) {
            long before = shaper.coalesced();
            shaper.offer(m, clock.nanoTime());
            long superseded = shaper.coalesced() - before;
            if (superseded > 0) {
                // one superseded value is one message fewer for every member of this feed
                stats.of(channel).coalesced(superseded * members.length);
            }
        }
    }

    @Override
    public void emit(List<Encoded> frame) {
        long now = clock.epochMillis();
        for (Encoded m : frame) {
            stats.metrics().recordLatency(now - m.publication().ts(), !system);
        }
        if (passMembers != null) {
            // a pass is under way: this frame follows it, so every member keeps offset order
            if (queued == null) {
                queued = new FeedQueue(options.outboundBufferBytes());
            }
            if (!queued.add(frame)) {
                overwhelmed();
            }
            return;
        }
        startPass(frame);
    }

    @Override
    public boolean busy() {
        return passMembers != null;
    }

    /**
     * Writes {@code frame} to the members of the moment, {@link #SLICE} at a time: between slices
     * the loop reads sockets and runs other tasks, so a pass over 10,000 connections (100 ms and
     * more) never holds up publishes and other channels for its whole length.
     */
    private void startPass(List<Encoded> frame) {
        passMessages = frame;
        passSkipped = queued == null ? FeedQueue.Skipped.NONE : queued.takeSkipped();
        passMembers = members;
        passIndex = 0;
        passWritten = 0;
        pass++;
        runSlice();
    }

    private void runSlice() {
        Subscription[] targets = passMembers;
        List<Encoded> frame = passMessages;
        int end = Math.min(targets.length, passIndex + SLICE);
        for (; passIndex < end; passIndex++) {
            Subscription s = targets[passIndex];
            long skipped = passSkipped.forMember(s.since);
            if (skipped > 0) {
                announceSkipped(s, skipped, passSkipped.upTo());
            }
            if (frame.isEmpty()) {
                continue;
            }
            List<Encoded> mine = s.select(frame);
            if (mine.isEmpty()) {
                continue;
            }
            LocalSession session = s.session;
            if (s.backlog != null || !session.isWritable()) {
                session.enqueue(s, mine, options);
            } else if (mine == frame) {
                if (passFrame == null) {
                    passFrame = new EncodedFrame(channel, frame);
                }
                session.send(passFrame);
                passWritten += frame.size();
            } else {
                EncodedFrame own = new EncodedFrame(channel, mine);
                try {
                    session.send(own);
                } finally {
                    own.release();
                }
                passWritten += mine.size();
            }
        }
        if (passIndex < targets.length) {
            long thisPass = pass;
            try {
                // scheduled, not executed: a task executed from a task runs in the same round of the
                // loop's task queue (Netty drains it for up to a second), so the loop would read no
                // socket until the pass ends; a due scheduled task waits for the next round, after I/O
                loop.schedule(() -> {
                    if (pass == thisPass && passMembers != null && !disposed) {
                        runSlice();
                    }
                }, 0, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                endPass(); // the loop is shutting down: its connections are closing too
                releaseFlushWaiters();
            }
            return;
        }
        endPass();
        List<Encoded> next = queued == null ? null : queued.poll();
        if (next != null) {
            startPass(next);
        } else if (queued != null && queued.hasSkipped()) {
            startPass(List.of()); // everything queued was dropped: the members still hear of it
        } else if (wakeDeferred) {
            wakeDeferred = false;
            shaper.onWake(clock.nanoTime());
        }
        if (passMembers == null) {
            releaseFlushWaiters();
        }
    }

    /**
     * Sends everything the shaper holds now, throttled keys included (graceful shutdown: nothing
     * acknowledged may stay behind), and completes {@code done} once every member has been written
     * to, or has the messages in its backlog. Runs on {@link #loop}.
     */
    void flush(CompletableFuture<Void> done) {
        if (!disposed) {
            shaper.flushAll(clock.nanoTime());
        }
        if (passMembers == null) {
            done.complete(null);
            return;
        }
        if (flushWaiters == null) {
            flushWaiters = new ArrayList<>();
        }
        flushWaiters.add(done);
    }

    private void releaseFlushWaiters() {
        if (flushWaiters != null) {
            List<CompletableFuture<Void>> waiting = flushWaiters;
            flushWaiters = null;
            waiting.forEach(f -> f.complete(null));
        }
    }

    /**
     * Tells member {@code s} that {@code skipped} messages of this channel, none above {@code upTo},
     * were dropped before reaching it: in a {@code lag} frame now, or through its backlog if it has one (the frame must
     * follow what waits there).
     */
    private void announceSkipped(Subscription s, long skipped, long upTo) {
        LocalSession session = s.session;
        stats.of(channel).dropped(skipped);
        if (s.backlog != null || !session.isWritable()) {
            session.skipped(s, skipped, upTo, options);
            return;
        }
        session.lag(channel, skipped);
    }

    /**
     * What must not be dropped (critical and keyed messages) alone outgrew the feed's hard bound:
     * this loop cannot fan the channel out as fast as it is published. Every member is closed with
     * 4003, as a slow consumer would be, and recovers from history when it comes back.
     */
    private void overwhelmed() {
        Subscription[] all = members;
        log.warn("channel {}: {} bytes of critical and keyed messages wait for {} subscribers on this event loop;"
                + " closing them with 4003", channel, queued.bytes(), all.length);
        queued.clear();
        for (Subscription s : all) {
            s.session.slowConsumer(s);
        }
    }

    private void endPass() {
        if (passWritten > 0) {
            stats.of(channel).delivered(passWritten);
        }
        if (passFrame != null) {
            passFrame.release();
            passFrame = null;
        }
        passSkipped = FeedQueue.Skipped.NONE;
        passMembers = null;
        passMessages = null;
    }

    @Override
    public void wakeAt(long nanos) {
        if (disposed || (timer != null && timerAt <= nanos)) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = nanos;
        timer = loop.schedule(this::wake, Math.max(0, nanos - clock.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void wake() {
        timer = null;
        timerAt = DeliveryShaper.NONE;
        if (disposed) {
            return;
        }
        if (passMembers != null) {
            // the batch keeps filling until the pass is over: under load, fewer and fuller frames
            wakeDeferred = true;
        } else {
            shaper.onWake(clock.nanoTime());
        }
    }

    /** Keyed values superseded before they went out (for stats). Loop-confined. */
    long coalesced() {
        return shaper.coalesced();
    }

    /** No member is left: stop timers and forget pending messages. Runs on {@link #loop}. */
    void dispose() {
        disposed = true;
        if (passMembers != null) {
            endPass();
        }
        releaseFlushWaiters();
        queued = null;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Adds a member; caller holds the channel's hub lock. */
    void addMember(Subscription sub) {
        Subscription[] old = members;
        Subscription[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = sub;
        members = next;
    }

    /** Removes a member; caller holds the channel's hub lock. Returns whether it was there. */
    boolean removeMember(Subscription sub) {
        Subscription[] old = members;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == sub) {
                Subscription[] next = new Subscription[old.length - 1];
                System.arraycopy(old, 0, next, 0, i);
                System.arraycopy(old, i + 1, next, i, old.length - i - 1);
                members = next;
                return true;
            }
        }
        return false;
    }
}
