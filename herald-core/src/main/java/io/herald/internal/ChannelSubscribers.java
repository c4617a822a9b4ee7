package io.herald.internal;

import io.herald.HeraldClock;
import io.herald.NamespaceOptions;
import io.herald.Publication;
import io.netty.util.concurrent.EventExecutor;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers of one channel on this node, grouped into one {@link ChannelFeed} per event
 * loop. A publication is encoded once and handed to each loop in one task, not one task per
 * subscriber; tasks are enqueued under this object's lock, in offset order, and each loop runs its
 * tasks in order, so every subscriber sees the channel's offsets in order.
 *
 * <p>Guarded by {@code this}: {@link #feeds}, {@link #size}, {@link #removed}, {@link #interested}, and every member
 * change of a feed.
 */
final class ChannelSubscribers {
    private static final Logger log = LoggerFactory.getLogger(ChannelSubscribers.class);

    final String channel;
    private final HeraldClock clock;
    private final NamespaceOptions options;
    private final StatsRegistry stats;
    private ChannelFeed[] feeds = new ChannelFeed[0];
    private int size;
    /** Set once the hub dropped this record; subscribers must then use a fresh one. */
    boolean removed;
    /** Whether the hub declared this node's interest in the channel to the engine for this record. */
    boolean interested;
    /** Whether the hub reported this channel occupied (and owes a vacant when it drops it). Guarded by this. */
    boolean occupied;

    ChannelSubscribers(String channel, HeraldClock clock, NamespaceOptions options, StatsRegistry stats) {
        this.channel = channel;
        this.clock = clock;
        this.options = options;
        this.stats = stats;
    }

    synchronized int size() {
        return size;
    }

    /** Adds {@code sub}; caller holds the lock and has set {@code sub.since}. */
    void add(Subscription sub) {
        EventExecutor loop = sub.session.executor();
        ChannelFeed feed = null;
        for (ChannelFeed f : feeds) {
            if (f.loop == loop) {
                feed = f;
            }
        }
        if (feed == null) {
            feed = new ChannelFeed(channel, loop, clock, options, stats);
            feeds = Arrays.copyOf(feeds, feeds.length + 1);
            feeds[feeds.length - 1] = feed;
        }
        feed.addMember(sub);
        size++;
    }

    /** Removes {@code sub}; caller holds the lock. Returns whether it was present. */
    boolean remove(Subscription sub) {
        for (int i = 0; i < feeds.length; i++) {
            ChannelFeed feed = feeds[i];
            if (feed.loop == sub.session.executor() && feed.removeMember(sub)) {
                size--;
                if (feed.members.length == 0) {
                    ChannelFeed[] next = new ChannelFeed[feeds.length - 1];
                    System.arraycopy(feeds, 0, next, 0, i);
                    System.arraycopy(feeds, i + 1, next, i, feeds.length - i - 1);
                    feeds = next;
                    execute(feed, feed::dispose);
                }
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
        Encoded m = Encoded.of(p);
        for (ChannelFeed feed : feeds) {
            execute(feed, () -> feed.offer(m));
        }
    }

    /** Asks every feed to send what it holds now; adds a future per feed, complete once it has. */
    synchronized void flush(List<CompletableFuture<Void>> done) {
        for (ChannelFeed feed : feeds) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            done.add(f);
            try {
                feed.loop.execute(() -> feed.flush(f));
            } catch (RejectedExecutionException e) {
                f.complete(null); // the loop is gone, and its connections with it
            }
        }
    }

    /** The channel's stream was interrupted and continues after {@code offset}: every subscriber takes it from there. */
    synchronized void reset(long offset) {
        for (ChannelFeed feed : feeds) {
            for (Subscription s : feed.members) {
                s.since = offset;
            }
        }
    }

    /** Ends every subscription (admin delete): each session is told, on its loop. Caller holds the lock. */
    void evictAll(String reason) {
        for (ChannelFeed feed : feeds) {
            Subscription[] members = feed.members;
            execute(feed, () -> {
                for (Subscription s : members) {
                    s.session.evicted(s, reason);
                }
                feed.dispose();
            });
        }
        feeds = new ChannelFeed[0];
        size = 0;
    }

    private void execute(ChannelFeed feed, Runnable task) {
        try {
            feed.loop.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("event loop shutting down; {} not delivered there", channel);
        }
    }
}
