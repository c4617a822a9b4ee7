package io.herald.internal;

import io.herald.Publication;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DiskStore}'s file, one H2 MVStore ({@value #FILE_NAME}): its format, how it is read at
 * start, and how a stream's changes go into it. Not thread-safe: the store's committer alone uses
 * it once it is open. Every method may throw the store's runtime exceptions (a write error, a
 * damaged file); the {@link DiskStore} turns them into messages that name the file.
 *
 * <p>Four maps. Two are keyed by channel, a space (not allowed in channel names, and sorting before
 * every character that is) and a suffix: {@code segments} (a {@link HistorySegment} of the
 * channel's history; the suffix is the segment's index, 16 hex digits, so they sort by offset) and
 * {@code retained} (the retained key). {@code streams} is keyed by channel alone: the epoch, offset,
 * start of history, completion and activity times. {@code store} says whether the run that wrote
 * the file last closed it cleanly, and the most offsets a channel could run ahead of its last commit
 * in that run.
 *
 * <p><b>After a crash.</b> Live delivery does not wait for the commit, so subscribers may have seen
 * offsets that a crash lost. No later run may give such an offset to another publication of the
 * same epoch, or a client resuming from it would miss that publication. A run never lets a channel
 * run more than its bound ahead of its last commit (the {@link DiskStore} refuses the publication),
 * so after an unclean stop each channel continues that bound past its last committed offset. The
 * offsets in between are a gap: publications lost unacknowledged, or offsets never used. A clean
 * close leaves none.
 *
 * <p>Size: a channel's segments hold its history plus at most a segment's worth of evicted
 * publications. Chunks whose content was rewritten are reused after the retention time (45 s,
 * MVStore's default; shorter ones let a {@code kill -9} leave a file that cannot be opened),
 * and {@link #compact} rewrites chunks less than half full so that theirs can be reused: the file
 * stays within its live data plus what 45 s write. It never moves chunks to shrink the file
 * (MVStore's {@code compactFile}): after an unclean stop that failed MVStore's own assertions
 * ({@code FreeSpaceBitSet.allocate}, seen in {@code KillNineTest} with {@code -ea}), so a file keeps
 * the size of its busiest 45 s.
 */
final class HistoryFile {
    /** The file in the data directory. */
    static final String FILE_NAME = "history.mv.db";
    /** How long a rewritten chunk is kept before its space is reused: MVStore's crash-safe default. */
    static final int RETENTION_MILLIS = 45_000;

    private static final Logger log = LoggerFactory.getLogger(HistoryFile.class);
    private static final String CLEAN = "clean";
    private static final String BOUND = "bound";
    /** The map of an earlier format, one entry per publication; read once, then rewritten as segments. */
    private static final String OLD_HISTORY = "history";

    private final MVStore mv;
    private final MVMap<String, byte[]> segments;
    private final MVMap<String, byte[]> retained;
    private final MVMap<String, String> streams;
    private final MVMap<String, String> store;

    private HistoryFile(MVStore mv) {
        this.mv = mv;
        // Chunks a commit no longer needs are reused only after the retention time. MVStore writes its
        // file header (which names the live chunks) lazily, so a short retention lets a chunk the
        // header still names be overwritten, and a kill -9 then leaves a file that cannot be opened
        // (seen: AssertionError on open with 1 s). MVStore's own default (45 s) is safe.
        mv.setRetentionTime(RETENTION_MILLIS);
        segments = mv.openMap("segments");
        retained = mv.openMap("retained");
        streams = mv.openMap("streams");
        store = mv.openMap("store");
    }

    /** Opens {@code fileName} (which may carry an H2 file system prefix), creating it if need be. */
    static HistoryFile open(String fileName) {
        MVStore mv = new MVStore.Builder().fileName(fileName).autoCommitDisabled().open();
        try {
            return new HistoryFile(mv);
        } catch (RuntimeException e) {
            mv.closeImmediately();
            throw e;
        }
    }

    /** A channel's stream state as of its last commit. */
    private record Meta(String epoch, long offset, long historyStart, long completedAt, long lastActive) {
        String encode() {
            return epoch + " " + offset + " " + completedAt + " " + lastActive + " " + historyStart;
        }

        static Meta decode(String channel, String s) {
            String[] f = s.split(" ");
            if (f.length != 4 && f.length != 5) {
                throw new IllegalArgumentException("unreadable stream state of channel '" + channel + "': " + s);
            }
            return new Meta(f[0], Long.parseLong(f[1]), f.length == 5 ? Long.parseLong(f[4]) : 0,
                    Long.parseLong(f[2]), Long.parseLong(f[3]));
        }
    }

    /**
     * Reads the streams the file holds and makes it this run's: after an unclean stop each stream
     * continues its last run's bound past its last committed offset (see above), and the file then
     * records that this run has not closed cleanly yet and may run {@code bound} offsets ahead.
     * Drops leftovers of ended epochs. Commits and syncs before it returns.
     */
    List<StreamStore.Stored> claim(long bound) {
        boolean clean = "true".equals(store.get(CLEAN));
        long jump = clean ? 0 : Long.parseLong(store.getOrDefault(BOUND, Long.toString(bound)));
        List<StreamStore.Stored> out = read(jump);
        mv.removeMap("reserved"); // the per-channel reservations of an earlier format: the jump covers them
        store.put(CLEAN, "false");
        store.put(BOUND, Long.toString(bound));
        commit();
        if (jump > 0 && !out.isEmpty()) {
            log.warn("history store: the last run did not stop cleanly; each of its {} channels continues {} offsets"
                    + " after its last committed one (offsets it may have delivered live and lost unacknowledged are"
                    + " never given to another publication)", out.size(), jump);
        }
        return out;
    }

    private List<StreamStore.Stored> read(long jump) {
        Map<String, Meta> metas = new LinkedHashMap<>();
        streams.forEach((channel, s) -> metas.put(channel, Meta.decode(channel, s)));
        boolean migrate = mv.hasMap(OLD_HISTORY);
        Map<String, List<Publication>> held = migrate ? oldHistory() : history();
        Map<String, List<Entry>> kept = group(retained);
        Set<String> channels = new LinkedHashSet<>(metas.keySet());
        channels.addAll(held.keySet());
        channels.addAll(kept.keySet());
        List<StreamStore.Stored> out = new ArrayList<>();
        for (String channel : channels) {
            List<Publication> h = held.getOrDefault(channel, List.of());
            List<Entry> r = kept.getOrDefault(channel, List.of());
            Meta meta = metas.get(channel);
            if (meta == null) { // an earlier format wrote publications before their stream state
                Publication last = !h.isEmpty() ? h.get(h.size() - 1)
                        : r.stream().map(Entry::p).max((a, b) -> Long.compare(a.offset(), b.offset())).orElseThrow();
                meta = new Meta(last.epoch(), 0, 0, last.message().finalMessage() ? last.ts() : 0, last.ts());
            }
            String epoch = meta.epoch();
            List<Publication> hist = new ArrayList<>(h.size());
            for (Publication p : h) { // a segment may hold evicted publications, or (after a removal) another epoch's
                if (p.epoch().equals(epoch) && p.offset() >= meta.historyStart()
                        && (hist.isEmpty() || p.offset() > hist.get(hist.size() - 1).offset())) {
                    hist.add(p);
                }
            }
            List<Publication> ret = new ArrayList<>(current(r, epoch, retained));
            ret.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            long offset = meta.offset();
            for (Publication p : hist) {
                offset = Math.max(offset, p.offset());
            }
            for (Publication p : ret) {
                offset = Math.max(offset, p.offset());
            }
            if (migrate || h.stream().anyMatch(p -> !p.epoch().equals(epoch))) {
                removeRange(segments, channel + ' ', channel + '!');
                putSegments(channel, 1, hist);
            }
            offset += jump;
            long historyStart = hist.isEmpty() ? offset + 1 : hist.get(0).offset();
            streams.put(channel, new Meta(epoch, offset, historyStart, meta.completedAt(), meta.lastActive()).encode());
            out.add(new StreamStore.Stored(channel, epoch, offset, meta.completedAt(), meta.lastActive(), hist, ret));
        }
        if (migrate) {
            mv.removeMap(OLD_HISTORY);
        }
        return out;
    }

    /** Each channel's history publications, in offset order, as the segments hold them. */
    private Map<String, List<Publication>> history() {
        Map<String, List<Publication>> out = new LinkedHashMap<>();
        segments.forEach((key, bytes) -> {
            String channel = key.substring(0, key.indexOf(' '));
            out.computeIfAbsent(channel, c -> new ArrayList<>()).addAll(HistorySegment.decode(channel, bytes));
        });
        return out;
    }

    /** The same from the earlier format's map, one entry per publication. */
    private Map<String, List<Publication>> oldHistory() {
        Map<String, List<Publication>> out = new LinkedHashMap<>();
        group(mv.openMap(OLD_HISTORY)).forEach((channel, entries) -> out.put(channel,
                entries.stream().map(Entry::p).toList()));
        return out;
    }

    /** A publication and its key in its map. */
    private record Entry(String key, Publication p) {
    }

    /** The publications of {@code entries} in {@code epoch}; removes the others (of an ended epoch) from {@code map}. */
    private static List<Publication> current(List<Entry> entries, String epoch, MVMap<String, byte[]> map) {
        List<Publication> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (e.p().epoch().equals(epoch)) {
                out.add(e.p());
            } else {
                map.remove(e.key());
            }
        }
        return out;
    }

    private static Map<String, List<Entry>> group(MVMap<String, byte[]> map) {
        Map<String, List<Entry>> out = new LinkedHashMap<>();
        map.forEach((key, bytes) -> {
            String channel = key.substring(0, key.indexOf(' '));
            out.computeIfAbsent(channel, c -> new ArrayList<>()).add(new Entry(key, PublicationCodec.decode(channel, bytes)));
        });
        return out;
    }

    /**
     * Puts what {@code t} took into the maps: drops the segments its stream evicted entirely,
     * appends the publications it still holds (those it evicted since are neither encoded nor
     * written) to their segments, writes the retained keys changed and the stream's state; or, for a
     * removed stream, drops all of it.
     */
    void write(PendingWrites.Taken t) {
        String channel = t.channel();
        String prefix = channel + ' ';
        if (t.removed()) {
            streams.remove(channel);
            removeRange(segments, prefix, channel + '!');
            removeRange(retained, prefix, channel + '!');
            return;
        }
        long start = t.historyStart();
        removeRange(segments, prefix, segmentKey(channel, HistorySegment.index(start)));
        List<Publication> held = new ArrayList<>();
        for (PendingWrites.Append a : t.appends()) {
            if (a.publication().offset() >= start) {
                held.add(a.publication());
            }
        }
        if (held.isEmpty()) { // evictions alone (ttl): what is left of the first segment
            String key = segmentKey(channel, HistorySegment.index(start));
            byte[] first = segments.get(key);
            if (first != null) {
                byte[] kept = HistorySegment.append(first, start, List.of());
                if (kept.length == 0) {
                    segments.remove(key);
                } else if (kept.length < first.length) {
                    segments.put(key, kept);
                }
            }
        }
        putSegments(channel, start, held);
        t.retained().forEach((key, p) -> {
            if (p == null) {
                retained.remove(prefix + key);
            } else {
                retained.put(prefix + key, PublicationCodec.encode(p));
            }
        });
        streams.put(channel, new Meta(t.epoch(), t.offset(), start, t.completedAt(), t.lastActive()).encode());
    }

    /** Appends {@code held} (offsets increasing) to the channel's segments, dropping what precedes {@code start}. */
    private void putSegments(String channel, long start, List<Publication> held) {
        for (int from = 0; from < held.size(); ) {
            long index = HistorySegment.index(held.get(from).offset());
            int to = from + 1;
            while (to < held.size() && HistorySegment.index(held.get(to).offset()) == index) {
                to++;
            }
            String key = segmentKey(channel, index);
            segments.put(key, HistorySegment.append(segments.get(key), start, held.subList(from, to)));
            from = to;
        }
    }

    private static void removeRange(MVMap<String, byte[]> map, String from, String to) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = map.keyIterator(from); it.hasNext(); ) {
            String k = it.next();
            if (k.compareTo(to) >= 0) {
                break;
            }
            keys.add(k);
        }
        keys.forEach(map::remove);
    }

    static String segmentKey(String channel, long index) {
        String hex = Long.toHexString(index);
        return channel + ' ' + "0000000000000000".substring(hex.length()) + hex;
    }

    /** Commits what was written and syncs it to the disk, if anything was. */
    void commit() {
        if (mv.hasUnsavedChanges()) {
            mv.commit();
            mv.sync();
        }
    }

    /** Rewrites chunks less than half full, up to 16 MB, so that their space can be reused. */
    void compact() {
        mv.compact(50, 16 << 20);
    }

    /** Records a clean stop (the next run continues each channel right after its offset) and closes. */
    void closeClean() {
        store.put(CLEAN, "true");
        mv.commit();
        mv.close();
    }

    /** Lets go of the file without writing anything more, as a crash would. */
    void closeImmediately() {
        mv.closeImmediately();
    }
}
