package io.herald.bench.load;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The overload benchmark's figures for one class of subscriber (fast or slow), summed over its
 * clients' {@link OverloadClient.Result}s.
 *
 * @param closes         server closes by code ({@value OverloadClient#ABNORMAL_CLOSE}: the connection ended without a close frame)
 * @param stillOpen      clients the server had not closed when the run ended
 * @param behindAtEnd    open clients that had not received the last offset when the drain ended
 * @param tailOffsets    offsets up to the last one that those clients had not received
 * @param silentClients  clients with at least one offset missing that no lag frame reported
 */
record OverloadTally(OverloadClient.Kind kind, int clients, int subscribed, Map<Integer, Long> closes, int stillOpen,
                     long received, long minReceived, long maxReceived, long frames, long pingsAnswered, long lagFrames,
                     long skipped, long gaps, long gapOffsets, long silentLost, int silentClients, long outOfOrder,
                     long overReported, int behindAtEnd, long tailOffsets) {

    static OverloadTally of(OverloadClient.Kind kind, List<OverloadClient.Result> results, long lastOffset) {
        int clients = 0;
        int subscribed = 0;
        int stillOpen = 0;
        int silentClients = 0;
        int behindAtEnd = 0;
        long received = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        long frames = 0;
        long pings = 0;
        long lagFrames = 0;
        long skipped = 0;
        long gaps = 0;
        long gapOffsets = 0;
        long silent = 0;
        long outOfOrder = 0;
        long over = 0;
        long tail = 0;
        Map<Integer, Long> closes = new TreeMap<>();
        for (OverloadClient.Result r : results) {
            if (r.kind() != kind) {
                continue;
            }
            clients++;
            if (r.subscribed()) {
                subscribed++;
            }
            if (r.closeCode() >= 0) {
                closes.merge(r.closeCode(), 1L, Long::sum);
            } else {
                stillOpen++;
                if (r.subscribed() && r.last() < lastOffset) {
                    behindAtEnd++;
                    tail += lastOffset - Math.max(r.last(), r.start());
                }
            }
            received += r.received();
            min = Math.min(min, r.received());
            max = Math.max(max, r.received());
            frames += r.frames();
            pings += r.pingsAnswered();
            lagFrames += r.lagFrames();
            skipped += r.skipped();
            gaps += r.gaps();
            gapOffsets += r.gapOffsets();
            silent += r.silentLost();
            if (r.silentLost() > 0) {
                silentClients++;
            }
            outOfOrder += r.outOfOrder();
            over += r.overReported();
        }
        return new OverloadTally(kind, clients, subscribed, closes, stillOpen, received, clients == 0 ? 0 : min, max,
                frames, pings, lagFrames, skipped, gaps, gapOffsets, silent, silentClients, outOfOrder, over, behindAtEnd,
                tail);
    }

    long closes(int code) {
        return closes.getOrDefault(code, 0L);
    }

    /** Closes by any code but 4002, 4003 and 1006. */
    long otherCloses() {
        return closes.entrySet().stream()
                .filter(e -> e.getKey() != 4002 && e.getKey() != 4003 && e.getKey() != OverloadClient.ABNORMAL_CLOSE)
                .mapToLong(Map.Entry::getValue).sum();
    }

    double meanReceived() {
        return clients == 0 ? 0 : (double) received / clients;
    }
}
