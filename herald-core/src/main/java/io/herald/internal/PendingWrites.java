package io.herald.internal;

import io.herald.Publication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What one stream changed since the {@link DiskStore}'s committer last took it: the publications
 * appended, each with the future its publisher waits on, the retained keys set or removed, and
 * whether the stream was removed. It hangs on its {@link ChannelStream} ({@code stream.pending}),
 * so the publish path adds to it without a shared queue entry per publication: the store queues the
 * stream once per commit, and the committer takes everything it holds in one go.
 *
 * <p>Guarded by the stream's lock, except {@link #durableOffset}, which the committer writes.
 */
final class PendingWrites {
    /**
     * What {@link #take} took: the stream's state at that moment (history starts at {@code
     * historyStart}, offset, completion and activity times), the publications appended since the
     * last take (offsets increasing) and, at the same index, the futures their publishers wait on,
     * the retained keys changed (a {@code null} value: removed), and whether the stream was
     * removed. Written by the committer, in the order taken.
     */
    record Taken(PendingWrites source, String epoch, boolean removed, List<Publication> appended,
            List<CompletableFuture<Publication>> futures, Map<String, Publication> retained, long historyStart,
            long offset, long completedAt, long lastActive) {
        String channel() {
            return source.channel;
        }
    }

    final String channel;
    private final ChannelStream stream;
    /**
     * The stream's offset as last committed: no offset above it is on disk. The store refuses a
     * publication that would put the stream more than its bound ahead of it, which bounds how many
     * offsets a crash may have delivered live and lost (see {@link DiskStore}).
     */
    volatile long durableOffset;
    /** In the store's queue of streams to write: set when queued, cleared by {@link #take}. */
    boolean queued;
    /** Two lists rather than a pair per publication: one object less for each of the many that wait for a commit. */
    private List<Publication> appended = new ArrayList<>();
    private List<CompletableFuture<Publication>> futures = new ArrayList<>();
    private Map<String, Publication> retained;
    private boolean removed;

    /** {@code stream}'s offset is on disk (it was restored, or it is new and at 0). */
    PendingWrites(String channel, ChannelStream stream) {
        this.channel = channel;
        this.stream = stream;
        this.durableOffset = stream.offset;
    }

    void appended(Publication p, CompletableFuture<Publication> future, String retainedKey) {
        appended.add(p);
        futures.add(future);
        if (retainedKey != null) {
            retained().put(retainedKey, p);
        }
    }

    void retainedRemoved(String key) {
        retained().put(key, null);
    }

    void removed() {
        removed = true;
    }

    private Map<String, Publication> retained() {
        if (retained == null) {
            retained = new LinkedHashMap<>();
        }
        return retained;
    }

    /** Takes what changed since the last take, with the stream's state now, and starts over. */
    Taken take() {
        synchronized (stream) {
            Taken t = new Taken(this, stream.epoch, removed, appended, futures, retained == null ? Map.of() : retained,
                    stream.historyStart(), stream.offset, stream.completedAt, stream.lastActive);
            int expected = Math.min(appended.size(), 1024);
            appended = new ArrayList<>(expected);
            futures = new ArrayList<>(expected);
            retained = null;
            queued = false;
            return t;
        }
    }
}
