package io.herald.internal;

import com.fasterxml.jackson.databind.node.IntNode;
import io.herald.Message;
import io.herald.NamespaceOptions;
import io.herald.Publication;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** A {@link DeliveryShaper} on a manual clock, recording every frame with the time it went out. */
final class ShaperHarness implements DeliveryShaper.Output, DeliveryShaper.Wakeups {
    record Sent(long atNanos, List<Encoded> frame, boolean forced) {
    }

    final DeliveryShaper shaper;
    final List<Sent> sent = new ArrayList<>();
    final TreeSet<Long> wakeups = new TreeSet<>();
    long now;
    /** What {@link #busy} answers: a frame still going out, as a pass over many members would be. */
    boolean busy;
    private long nextOffset = 1;
    private boolean criticalFlush;

    ShaperHarness(NamespaceOptions options) {
        shaper = new DeliveryShaper(options, this, this);
    }

    @Override
    public void emit(List<Encoded> frame) {
        sent.add(new Sent(now, List.copyOf(frame), criticalFlush));
    }

    @Override
    public boolean busy() {
        return busy;
    }

    @Override
    public void wakeAt(long nanos) {
        wakeups.add(nanos);
    }

    Encoded plain(String event) {
        return publish(Message.builder("t:1", event).data(IntNode.valueOf((int) nextOffset)).build());
    }

    Encoded keyed(String key) {
        return publish(Message.builder("t:1", key).key(key).data(IntNode.valueOf((int) nextOffset)).build());
    }

    Encoded critical(String event) {
        return publish(Message.builder("t:1", event).critical(true).build());
    }

    private Encoded publish(Message m) {
        Encoded e = Encoded.of(new Publication(m, "e1", nextOffset++, 0));
        criticalFlush = e.critical();
        shaper.offer(e, now);
        criticalFlush = false;
        return e;
    }

    /**
     * A message that finds the stream quiet goes out at once (leading edge); this sends one and
     * forgets it, so a test then runs inside a batch interval that has begun.
     */
    void lead() {
        plain("lead");
        sent.clear();
    }

    /** Moves the clock forward to {@code t}, running every wake-up due on the way. */
    void advanceTo(long t) {
        while (!wakeups.isEmpty() && wakeups.first() <= t) {
            long at = wakeups.pollFirst();
            now = Math.max(now, at);
            shaper.onWake(now);
        }
        now = Math.max(now, t);
    }

    void advanceMillis(long ms) {
        advanceTo(now + ms * 1_000_000);
    }

    List<Long> offsets() {
        List<Long> out = new ArrayList<>();
        for (Sent s : sent) {
            for (Encoded e : s.frame) {
                out.add(e.offset());
            }
        }
        return out;
    }
}
