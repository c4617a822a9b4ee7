package io.herald.examples.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.Herald;
import io.herald.HeraldClock;
import io.herald.Message;
import io.herald.OccupancyListener;
import io.herald.workloads.DashboardWorkload;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitoring backend's side: every interval it asks Herald how many clients watch the
 * dashboard's channel and, only when someone does, takes a snapshot (the {@code dashboard}
 * workload, about 3 KiB) and publishes it. Nobody watching, no snapshot is made: in a real backend
 * that is the database query saved. When the first viewer arrives, Herald says so
 * ({@link OccupancyListener}) and a snapshot goes out at once rather than at the next tick.
 *
 * <p>Snapshots are plain messages: each is a point of the charts, so none supersedes another, and a
 * page that subscribes from an earlier position gets every one it missed from the channel's history.
 *
 * <p>{@link #tick()} and {@link #viewerArrived()} run on one thread (the example's timer); the
 * counters may be read from any.
 */
final class SnapshotPublisher implements OccupancyListener {
    private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Herald herald;
    private final String channel;
    private final Duration interval;
    private final DashboardWorkload snapshots;
    private final HeraldClock clock;
    private final Executor thread;
    private volatile long ticks;
    private volatile long published;
    private volatile long skipped;

    /** @param thread the publisher's one thread (the example's timer), where a first viewer's arrival is handled */
    SnapshotPublisher(Herald herald, String channel, Duration interval, DashboardWorkload snapshots, HeraldClock clock,
            Executor thread) {
        this.herald = herald;
        this.channel = channel;
        this.interval = interval;
        this.snapshots = snapshots;
        this.clock = clock;
        this.thread = thread;
    }

    /** Once per interval: a snapshot if someone watches, none otherwise. */
    void tick() {
        ticks++;
        if (herald.subscriberCount(channel) == 0) {
            skipped++;
            return;
        }
        publish();
    }

    /** A first viewer subscribed: they get a snapshot now. */
    void viewerArrived() {
        if (herald.subscriberCount(channel) > 0) {
            publish();
        }
    }

    @Override
    public void changed(String ch, boolean occupied) {
        if (occupied && ch.equals(channel)) {
            thread.execute(this::viewerArrived);
        }
    }

    private void publish() {
        String snapshot = snapshots.next(clock.epochMillis());
        herald.publish(Message.builder(channel, "snapshot").dataJson(snapshot).build())
                .whenComplete((p, err) -> {
                    if (err != null && !herald.isClosed()) {
                        log.warn("a snapshot was not published to {}: {}", channel, err.toString());
                    }
                });
        published++;
    }

    /** What the publisher did: for the page's health view and for tests. */
    ObjectNode status() {
        return JSON.createObjectNode()
                .put("channel", channel)
                .put("intervalMs", interval.toMillis())
                .put("ticks", ticks)
                .put("published", published)
                .put("skipped", skipped)
                .put("watching", herald.subscriberCount(channel));
    }

    long ticks() {
        return ticks;
    }

    long published() {
        return published;
    }
}
