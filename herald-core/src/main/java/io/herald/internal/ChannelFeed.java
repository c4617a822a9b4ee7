package io.herald.internal;

import io.herald.HeraldClock;
import io.herald.NamespaceOptions;
import io.herald.SharedFrame;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
    private static final Subscription[] NONE = new Subscription[0];

    final String channel;
    final EventExecutor loop;
    private final HeraldClock clock;
    private final NamespaceOptions options;
    private final StatsRegistry stats;
    private final DeliveryShaper shaper;
    volatile Subscription[] members = NONE;
    private ScheduledFuture<?> timer;
    private long timerAt = DeliveryShaper.NONE;
    private boolean disposed;

    ChannelFeed(String channel, EventExecutor loop, HeraldClock clock, NamespaceOptions options, StatsRegistry stats) {
        this.channel = channel;
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
            stats.metrics().recordLatency(now - m.publication().ts());
        }
        SharedFrame shared = null;
        long written = 0;
        try {
            for (Subscription s : members) {
                List<Encoded> mine = s.select(frame);
                if (mine.isEmpty()) {
                    continue;
                }
                LocalSession session = s.session;
                if (s.backlog != null || !session.isWritable()) {
                    session.enqueue(s, mine, options);
                } else if (mine == frame) {
                    if (shared == null) {
                        shared = new SharedFrame(ByteBufAllocator.DEFAULT, Frames.frame(ByteBufAllocator.DEFAULT, channel, frame));
                    }
                    session.write(shared, frame.size());
                    written += frame.size();
                } else {
                    session.write(Frames.frame(ByteBufAllocator.DEFAULT, channel, mine), mine.size());
                    written += mine.size();
                }
            }
            stats.of(channel).delivered(written);
        } finally {
            if (shared != null) {
                shared.release();
            }
        }
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
        if (!disposed) {
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
