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
 * <p>Four maps. Three are keyed by channel, a space (not allowed in channel names, and sorting
 * before every character that is) and a suffix: {@code history} (the offset, 16 hex digits, so a
 * channel's entries sort by offset), {@code retained} (the retained key), and {@code streams}
 * (keyed by channel alone: the epoch, offset, completion and activity times). The fourth, {@code
 * store}, says whether the run that wrote the file last closed it cleanly, and the most offsets a
 * channel could run ahead of its last commit in that run.
 *
 * <p><b>After a crash.</b> Live delivery does not wait for the commit, so subscribers may have seen
 * offsets that a crash lost. No later run may give such an offset to another publication of the
 * same epoch, or a client resuming from it would miss that publication. A run never lets a channel
 * run more than its bound ahead of its last commit (the {@link DiskStore} refuses the publication),
 * so after an unclean stop each channel continues that bound past its last committed offset. The
 * offsets in between are a gap: publications lost unacknowledged, or offsets never used. A clean
 * close leaves none.
 *
 * <p>File size: chunks whose content was rewritten are reused after the retention time (45 s,
 * MVStore's default; shorter ones let a {@code kill -9} leave a file that cannot be opened),
 * {@link #compact} rewrites chunks less than half full, and the file is compacted on open and
 * close, so it stays within a small multiple of its live data plus what 45 s write.
 */
final class HistoryFile {
    /** The file in the data directory. */
    static final String FILE_NAME = "history.mv.db";
    /** How long a rewritten chunk is kept before its space is reused: MVStore's crash-safe default. */
    static final int RETENTION_MILLIS = 45_000;

    private static final Logger log = LoggerFactory.getLogger(HistoryFile.class);
    private static final String CLEAN = "clean";
    private static final String BOUND = "bound";

    private final MVStore mv;
    private final MVMap<String, byte[]> history;
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
        history = mv.openMap("history");
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
    private record Meta(String epoch, long offset, long completedAt, long lastActive) {
        String encode() {
            return epoch + " " + offset + " " + completedAt + " " + lastActive;
        }

        static Meta decode(String channel, String s) {
            String[] f = s.split(" ");
            if (f.length != 4) {
                throw new IllegalArgumentException("unreadable stream state of channel '" + channel + "': " + s);
            }
            return new Meta(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
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
        mv.compactFile(1000);
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
        Map<String, List<Entry>> held = group(history);
        Map<String, List<Entry>> kept = group(retained);
        Set<String> channels = new LinkedHashSet<>(metas.keySet());
        channels.addAll(held.keySet());
        channels.addAll(kept.keySet());
        List<StreamStore.Stored> out = new ArrayList<>();
        for (String channel : channels) {
            List<Entry> h = held.getOrDefault(channel, List.of());
            List<Entry> r = kept.getOrDefault(channel, List.of());
            Meta meta = metas.get(channel);
            if (meta == null) { // an earlier format wrote publications before their stream state
                Publication last = (!h.isEmpty() ? h.get(h.size() - 1)
                        : r.stream().max((a, b) -> Long.compare(a.p().offset(), b.p().offset())).orElseThrow()).p();
                meta = new Meta(last.epoch(), 0, last.message().finalMessage() ? last.ts() : 0, last.ts());
            }
            String epoch = meta.epoch();
            List<Publication> hist = current(h, epoch, history);
            List<Publication> ret = new ArrayList<>(current(r, epoch, retained));
            ret.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            long offset = meta.offset();
            for (Publication p : hist) {
                offset = Math.max(offset, p.offset());
            }
            for (Publication p : ret) {
                offset = Math.max(offset, p.offset());
            }
            offset += jump;
            if (offset != meta.offset()) {
                streams.put(channel, new Meta(epoch, offset, meta.completedAt(), meta.lastActive()).encode());
            }
            out.add(new StreamStore.Stored(channel, epoch, offset, meta.completedAt(), meta.lastActive(), hist, ret));
        }
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
     * Puts what {@code t} took into the maps: drops the history its stream evicted, writes the
     * publications it still holds (those it evicted since are neither encoded nor written), the
     * retained keys changed and the stream's state; or, for a removed stream, drops all of it.
     */
    void write(PendingWrites.Taken t) {
        String channel = t.channel();
        String prefix = channel + ' ';
        if (t.removed()) {
            streams.remove(channel);
            removeRange(history, prefix, channel + '!');
            removeRange(retained, prefix, channel + '!');
            return;
        }
        removeRange(history, prefix, historyKey(channel, t.historyStart()));
        for (PendingWrites.Append a : t.appends()) {
            Publication p = a.publication();
            if (p.offset() >= t.historyStart()) {
                history.put(historyKey(channel, p.offset()), PublicationCodec.encode(p));
            }
        }
        t.retained().forEach((key, p) -> {
            if (p == null) {
                retained.remove(prefix + key);
            } else {
                retained.put(prefix + key, PublicationCodec.encode(p));
            }
        });
        streams.put(channel, new Meta(t.epoch(), t.offset(), t.completedAt(), t.lastActive()).encode());
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

    static String historyKey(String channel, long offset) {
        String hex = Long.toHexString(offset);
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

    /** Records a clean stop (the next run continues each channel right after its offset), compacts and closes. */
    void closeClean() {
        store.put(CLEAN, "true");
        mv.commit();
        mv.close(1000);
    }

    /** Lets go of the file without writing anything more, as a crash would. */
    void closeImmediately() {
        mv.closeImmediately();
    }
}
