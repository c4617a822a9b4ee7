package io.herald.internal;

import io.herald.HistoryTotals;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link MemoryEngine}'s history totals over all its streams, kept up to date by each stream
 * under its own lock (so a scrape reads sums, never a stream). Thread-safe.
 */
final class HistoryCounters {
    /** Why a message left history before its channel did. */
    enum Reason {
        /** {@code history.size} was reached. */
        SIZE,
        /** It was older than {@code history.ttl}. */
        TTL
    }

    private final LongAdder channels = new LongAdder();
    private final LongAdder messages = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder bySize = new LongAdder();
    private final LongAdder byTtl = new LongAdder();

    /** A message of {@code dataBytes} entered a history; {@code first}: which held none before. */
    void held(int dataBytes, boolean first) {
        messages.increment();
        bytes.add(dataBytes);
        if (first) {
            channels.increment();
        }
    }

    /** A message of {@code dataBytes} was evicted; {@code last}: its history holds none now. */
    void evicted(Reason reason, int dataBytes, boolean last) {
        (reason == Reason.SIZE ? bySize : byTtl).increment();
        messages.decrement();
        bytes.add(-dataBytes);
        if (last) {
            channels.decrement();
        }
    }

    /** A stream that held {@code count} messages of {@code dataBytes} in all went with its channel. */
    void dropped(int count, long dataBytes) {
        if (count > 0) {
            messages.add(-count);
            bytes.add(-dataBytes);
            channels.decrement();
        }
    }

    HistoryTotals totals() {
        return new HistoryTotals(channels.sum(), messages.sum(), bytes.sum(), bySize.sum(), byTtl.sum());
    }
}
