package io.herald.examples.scan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.ChannelInfo;
import io.herald.ChannelSummary;
import io.herald.Herald;
import io.herald.HeraldClock;
import io.herald.Message;
import io.herald.workloads.ScanEvent;
import io.herald.workloads.ScanWorkload;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every scan of this run, and their overview: each scan publishes to {@code scan:<id>} (ids from 1);
 * the overview of all of them goes to {@value #OVERVIEW}, a retained channel, so a page that opens
 * gets the latest at once. The overview is published only while someone watches it.
 *
 * <p>Thread-safe.
 */
final class Scans {
    /** The overview of every scan, one keyed {@code overview} message, retained. */
    static final String OVERVIEW = "scans:overview";

    private static final Logger log = LoggerFactory.getLogger(Scans.class);

    private final Herald herald;
    private final ScheduledExecutorService timer;
    private final HeraldClock clock;
    private final double speed;
    private final long firstSeed;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, ScanResults> scans = new ConcurrentHashMap<>();
    /** Herald's counters of each scan's channel, kept after Herald removes the channel (cleanupDelay after completion). */
    private final Map<Integer, ChannelInfo> lastCounters = new ConcurrentHashMap<>();

    Scans(Herald herald, ScheduledExecutorService timer, HeraldClock clock, double speed, long firstSeed) {
        this.herald = herald;
        this.timer = timer;
        this.clock = clock;
        this.speed = speed;
        this.firstSeed = firstSeed;
    }

    /** Starts the next scan (seed: the first seed plus its id minus one) and returns its results. */
    ScanResults start() {
        int id = ids.incrementAndGet();
        long seed = firstSeed + id - 1;
        ScanResults results = new ScanResults(id, "scan:" + id, seed);
        List<ScanEvent> events = ScanWorkload.generate(seed);
        scans.put(id, results);
        new ScanPublisher(herald, timer, clock, events, speed, results).start();
        timer.execute(this::publishOverview); // pages that follow the newest scan switch now, not at the next tick
        log.info("scan {} started on {}: {} events over {} s", id, results.channel(), events.size(),
                Math.round(ScanWorkload.DURATION_MICROS / 1e6 / speed));
        return results;
    }

    Optional<ScanResults> get(int id) {
        return Optional.ofNullable(scans.get(id));
    }

    /**
     * Every scan (its results' counts and Herald's counters of its channel: published, delivered,
     * coalesced, dropped, subscribers) and Herald's summary of the {@code scan} namespace.
     */
    ObjectNode overview() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ChannelSummary s = herald.summary("scan");
        o.putObject("summary")
                .put("total", s.total())
                .put("active", s.active())
                .put("completed", s.completed())
                .put("averageElapsedSeconds", s.averageElapsedSeconds())
                .put("messages", s.messages());
        ArrayNode list = o.putArray("scans");
        scans.values().stream().sorted((a, b) -> Integer.compare(b.id(), a.id())).forEach(r -> {
            ObjectNode row = r.summary();
            herald.channel(r.channel()).ifPresent(info -> lastCounters.put(r.id(), info));
            ChannelInfo info = lastCounters.get(r.id());
            if (info != null) {
                row.put("published", info.published())
                        .put("delivered", info.delivered())
                        .put("coalesced", info.coalesced())
                        .put("dropped", info.dropped())
                        .put("subscribers", info.subscribers())
                        .put("elapsedSeconds", info.elapsedSeconds());
            }
            list.add(row);
        });
        return o;
    }

    /** Publishes the overview when someone watches it; nobody watching, no work. */
    void publishOverview() {
        try {
            if (herald.subscriberCount(OVERVIEW) == 0) {
                return;
            }
            herald.publish(Message.builder(OVERVIEW, "overview").key("overview").data(overview()).build())
                    .whenComplete((p, err) -> {
                        if (err != null && !herald.isClosed()) {
                            log.warn("the scans overview was not published: {}", err.toString());
                        }
                    });
        } catch (RuntimeException e) {
            // a timer task that throws is never run again: log and go on
            if (!herald.isClosed()) {
                log.warn("the scans overview was not published", e);
            }
        }
    }
}
