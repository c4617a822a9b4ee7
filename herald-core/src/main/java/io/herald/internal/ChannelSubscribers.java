package io.herald.internal;

import io.herald.Publication;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers of one channel on this node, sharded by the event loop that owns each
 * subscriber's connection. A publication is encoded once and handed to each loop in one task,
 * not one task per subscriber; tasks are enqueued under this object's lock, in offset order, and
 * each loop runs its tasks in order, so every subscriber sees the channel's offsets in order.
 *
 * <p>Guarded by {@code this}: {@link #shards}, {@link #size}, {@link #removed}. Each shard's
 * subscriber array is copy-on-write, so a loop iterates it without the lock.
 */
final class ChannelSubscribers {
    private static final Logger log = LoggerFactory.getLogger(ChannelSubscribers.class);

    final String channel;
    private Shard[] shards = new Shard[0];
    private int size;
    /** Set once the hub dropped this record; subscribers must then use a fresh one. */
    boolean removed;

    ChannelSubscribers(String channel) {
        this.channel = channel;
    }

    /** The subscribers that one event loop owns. */
    private static final class Shard {
        final EventExecutor loop;
        volatile Subscription[] subs = new Subscription[0];

        Shard(EventExecutor loop) {
            this.loop = loop;
        }

        /** Runs on {@link #loop}; releases {@code frame}. */
        void deliver(Publication p, ByteBuf frame) {
            try {
                for (Subscription s : subs) {
                    if (s.accepts(p)) {
                        s.session.deliver(p, frame);
                    }
                }
            } finally {
                frame.release();
            }
        }
    }

    synchronized int size() {
        return size;
    }

    /** Adds {@code sub}; caller holds the lock and has set {@code sub.since}. */
    void add(Subscription sub) {
        Shard shard = shardOf(sub.session.executor(), true);
        Subscription[] old = shard.subs;
        Subscription[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = sub;
        shard.subs = next;
        size++;
    }

    /** Removes {@code sub}; caller holds the lock. Returns whether it was present. */
    boolean remove(Subscription sub) {
        Shard shard = shardOf(sub.session.executor(), false);
        if (shard == null) {
            return false;
        }
        Subscription[] old = shard.subs;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == sub) {
                Subscription[] next = new Subscription[old.length - 1];
                System.arraycopy(old, 0, next, 0, i);
                System.arraycopy(old, i + 1, next, i, old.length - i - 1);
                shard.subs = next;
                size--;
                return true;
            }
        }
        return false;
    }

    /** Encodes {@code p} once and hands it to every loop with subscribers. */
    synchronized void dispatch(Publication p) {
        if (size == 0) {
            return;
        }
        ByteBuf frame = Frames.message(ByteBufAllocator.DEFAULT, p);
        try {
            for (Shard shard : shards) {
                if (shard.subs.length == 0) {
                    continue;
                }
                frame.retain();
                try {
                    shard.loop.execute(() -> shard.deliver(p, frame));
                } catch (RejectedExecutionException e) {
                    frame.release();
                    log.debug("event loop shutting down; publication {}@{} not delivered there", p.channel(), p.offset());
                }
            }
        } finally {
            frame.release();
        }
    }

    private Shard shardOf(EventExecutor loop, boolean create) {
        for (Shard s : shards) {
            if (s.loop == loop) {
                return s;
            }
        }
        if (!create) {
            return null;
        }
        Shard s = new Shard(loop);
        shards = Arrays.copyOf(shards, shards.length + 1);
        shards[shards.length - 1] = s;
        return s;
    }
}
