package io.herald.examples.scan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.Herald;
import io.herald.HeraldClock;
import io.herald.Message;
import io.herald.Publication;
import io.herald.workloads.Kind;
import io.herald.workloads.ScanEvent;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scanner's side: publishes one scan's events to its channel on their schedule (sped up
 * {@code speed} times), as a scanner would report what it finds, and keeps every publication in
 * the scan's {@link ScanResults}. Events say their kind themselves, as the workload defines them:
 * {@code progress} and {@code stats} keyed, {@code scanStarted}, {@code phaseStarted},
 * {@code error} and {@code scanCompleted} critical, the last one final; hosts, ports and
 * vulnerabilities plain.
 *
 * <p>Runs on the given timer: each run publishes the events due by then and schedules the next.
 * A timer with one thread keeps each scan's events in order.
 */
final class ScanPublisher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ScanPublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Herald herald;
    private final ScheduledExecutorService timer;
    private final HeraldClock clock;
    private final List<ScanEvent> events;
    private final double speed;
    private final ScanResults results;
    private long startNanos;
    private int next;

    ScanPublisher(Herald herald, ScheduledExecutorService timer, HeraldClock clock, List<ScanEvent> events, double speed,
            ScanResults results) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be > 0, was " + speed);
        }
        this.herald = herald;
        this.timer = timer;
        this.clock = clock;
        this.events = events;
        this.speed = speed;
        this.results = results;
    }

    /** Starts publishing: the first events are due now. */
    void start() {
        timer.execute(() -> {
            startNanos = clock.nanoTime();
            run();
        });
    }

    @Override
    public void run() {
        try {
            long now = clock.nanoTime();
            while (next < events.size() && dueNanos(events.get(next)) <= now) {
                publish(events.get(next++));
            }
            if (next < events.size()) {
                timer.schedule(this, dueNanos(events.get(next)) - clock.nanoTime(), TimeUnit.NANOSECONDS);
            }
        } catch (RejectedExecutionException e) {
            // the example is closing
        } catch (RuntimeException e) {
            if (!herald.isClosed()) {
                log.warn("scan {} stopped after {} of {} events", results.channel(), next, events.size(), e);
            }
        }
    }

    private long dueNanos(ScanEvent e) {
        return startNanos + Math.round(e.atMicros() * 1_000 / speed);
    }

    private void publish(ScanEvent e) {
        Message.Builder m = Message.builder(results.channel(), e.event()).data(data(e));
        e.key().ifPresent(m::key);
        if (e.kind() == Kind.CRITICAL) {
            m.critical(true);
        }
        if (e.last()) {
            m.finalMessage(true);
        }
        // the memory engine answers at once; waiting keeps the results in offset order
        Publication p = herald.publish(m.build()).join();
        results.apply(p);
    }

    private static com.fasterxml.jackson.databind.JsonNode data(ScanEvent e) {
        try {
            return JSON.readTree(e.data());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("the workload made invalid JSON: " + e.data(), ex);
        }
    }
}
