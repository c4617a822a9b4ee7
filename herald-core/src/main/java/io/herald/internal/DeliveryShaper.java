package io.herald.internal;

import io.herald.NamespaceOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The delivery rules of SPEC §3 for one channel's stream, as a state machine with no I/O and no
 * clock of its own, so tests drive it by hand.
 *
 * <ul>
 *   <li><b>Critical</b>: flushes everything pending (even throttled keys), then goes out alone, at once.
 *   <li><b>Keyed</b>: a newer value supersedes a pending one (latest wins, counted as coalesced);
 *       a key goes out at most {@code throttle.rate} times a second. A throttled key holds back
 *       the messages behind it rather than letting them overtake it, so offsets never go backwards;
 *       it waits at most one throttle period.
 *   <li><b>Plain</b>: every one goes out, batched.
 *   <li><b>Batching</b>: a batch is due {@code batch.interval} after its first message, or at once
 *       when it holds {@code batch.maxSize}; frames never exceed {@code batch.maxSize} messages.
 *       <b>Leading edge</b>: a message that finds the stream quiet (no frame for at least
 *       {@code batch.interval}, and nothing still going out) goes out at once, and the interval
 *       starts from it: a lone change arrives in milliseconds, a flood is still batched.
 * </ul>
 *
 * <p>{@code throttle.rate = 0} turns throttling and coalescing off; with {@code batch.maxSize = 1}
 * every message is its own frame at once: that is pass-through. Not thread-safe: confined to one
 * event loop.
 */
final class DeliveryShaper {
    static final long NONE = Long.MAX_VALUE;

    /** Receives each frame's messages, in offset order. */
    interface Output {
        void emit(List<Encoded> frame);

        /**
         * Whether frames emitted earlier are still going out (a pass over the subscribers under
         * way): the stream is then not quiet, and a new message waits for its batch instead of
         * leading. Without this, a loop that falls behind would send a one-message frame after
         * every long pass, and the smaller frames would put it further behind.
         */
        default boolean busy() {
            return false;
        }
    }

    /** Asks to be woken (via {@link #onWake}) at or after a time on the caller's nano clock. */
    interface Wakeups {
        void wakeAt(long nanos);
    }

    private static final class Entry {
        final Encoded message;
        final String key;
        boolean superseded;

        Entry(Encoded message, String key) {
            this.message = message;
            this.key = key;
        }
    }

    private final Output out;
    private final Wakeups wakeups;
    private final long batchIntervalNanos;
    private final int maxSize;
    private final long keyPeriodNanos;
    private final ArrayDeque<Entry> pending = new ArrayDeque<>();
    private final Map<String, Entry> pendingByKey = new HashMap<>();
    private final Map<String, Long> nextAllowed = new HashMap<>();
    private int live;
    private long batchDue = NONE;
    private Entry blocker;
    private long blockedUntil = NONE;
    private long coalesced;
    /** When the last frame went out; far in the past at first, so the first message leads. */
    private long lastEmitNanos = Long.MIN_VALUE / 4;
    /** When the last leading-edge frame went out: the interval that follows it starts there. */
    private long lastLeadNanos = Long.MIN_VALUE / 4;

    DeliveryShaper(NamespaceOptions options, Output out, Wakeups wakeups) {
        this.out = out;
        this.wakeups = wakeups;
        this.batchIntervalNanos = options.batchInterval().toNanos();
        this.maxSize = options.batchMaxSize();
        this.keyPeriodNanos = options.throttleRate() == 0 ? 0 : 1_000_000_000L / options.throttleRate();
    }

    void offer(Encoded m, long now) {
        if (m.critical()) {
            flush(now, true);
            out.emit(List.of(m));
            lastEmitNanos = now;
            return;
        }
        String key = keyPeriodNanos > 0 ? m.key() : null;
        Entry entry = new Entry(m, key);
        if (key != null) {
            Entry old = pendingByKey.put(key, entry);
            if (old != null) {
                old.superseded = true;
                live--;
                coalesced++;
                if (old == blocker) {
                    blocker = null;
                    blockedUntil = NONE;
                }
            }
        }
        pending.add(entry);
        live++;
        if (batchDue == NONE) {
            if (now - lastEmitNanos >= batchIntervalNanos && blocker == null && !out.busy()) {
                lastLeadNanos = now;
                flush(now, false); // leading edge: a quiet stream sends at once (a throttled key still waits)
                return;
            }
            // a batch is due an interval after its first message, or after the leading frame it follows
            long afterLead = lastLeadNanos + batchIntervalNanos;
            batchDue = afterLead > now ? afterLead : now + batchIntervalNanos;
            wakeups.wakeAt(batchDue);
        }
        if (live >= maxSize && (blocker == null || now >= blockedUntil)) {
            flush(now, false);
        }
    }

    /** A wake-up asked for earlier: flushes what is due. */
    void onWake(long now) {
        if (live == 0) {
            return;
        }
        if (now >= batchDue && (blocker == null || now >= blockedUntil)) {
            flush(now, false);
        } else {
            wakeups.wakeAt(Math.max(batchDue, blocker == null ? batchDue : blockedUntil));
        }
    }

    /** Sends everything pending now, ignoring throttles (a critical message, a shutdown). */
    void flushAll(long now) {
        flush(now, true);
    }

    int pendingCount() {
        return live;
    }

    /** Keyed values superseded before they went out. */
    long coalesced() {
        return coalesced;
    }

    private void flush(long now, boolean forced) {
        blocker = null;
        blockedUntil = NONE;
        List<Encoded> frame = new ArrayList<>(Math.min(live, maxSize));
        while (!pending.isEmpty()) {
            Entry e = pending.peekFirst();
            if (e.superseded) {
                pending.pollFirst();
                continue;
            }
            if (e.key != null) {
                Long next = nextAllowed.get(e.key);
                if (!forced && next != null && now < next) {
                    blocker = e;
                    blockedUntil = next;
                    break;
                }
                pendingByKey.remove(e.key);
                nextAllowed.put(e.key, now + keyPeriodNanos);
            }
            pending.pollFirst();
            live--;
            frame.add(e.message);
            if (frame.size() == maxSize) {
                out.emit(frame);
                lastEmitNanos = now;
                frame = new ArrayList<>(Math.min(live, maxSize));
            }
        }
        if (!frame.isEmpty()) {
            out.emit(frame);
            lastEmitNanos = now;
        }
        if (live == 0) {
            pending.clear();
            batchDue = NONE;
        } else {
            batchDue = now; // what is left is overdue: it goes when the blocking key's period ends
            wakeups.wakeAt(blockedUntil);
        }
        forgetExpiredThrottles(now);
    }

    /** Keeps the throttle table to keys that still constrain something. */
    private void forgetExpiredThrottles(long now) {
        if (nextAllowed.size() > 64) {
            for (Iterator<Long> it = nextAllowed.values().iterator(); it.hasNext(); ) {
                if (it.next() <= now) {
                    it.remove();
                }
            }
        }
    }
}
