package io.herald.internal;

import io.herald.Publication;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DiskStore}'s file, one H2 MVStore ({@value #FILE_NAME}): its format, how it is read at
 * start, and how a stream's changes go into it. Not thread-safe: the store's committer alone uses
 * it once it is open. Every method may throw the store's runtime exceptions (a write error, a
 * damaged file); the {@link DiskStore} turns them into messages that name the file.
 *
 * <p>Three maps. {@code log} is keyed by a number that grows with every entry: each commit adds
 * one {@link HistoryRecord} per stream it writes (the stream's state and the publications it added
 * and still holds), and removes the stream's earlier records once the stream no longer holds any of
 * their publications; a channel's history is its records' publications, its state the last
 * record's. {@code retained} holds one entry per retained key (channel, a space, which is not
 * allowed in channel names, and the key). {@code store} says whether the run that wrote the file
 * last closed it cleanly, and the most offsets a channel could run ahead of its last commit in that
 * run.
 *
 * <p>Why a log rather than entries keyed by channel: MVStore copies on write, so a commit rewrites
 * every B-tree page it touches. Keys in commit order put what a commit adds into the last pages,
 * and what it removes (old records) into a few early ones, however many channels it touches;
 * keys by channel spread a commit over every page (a commit touching 500 of 5,000 channels
 * rewrote about the whole history, over ten times the bytes it added).
 *
 * <p><b>After a crash.</b> Live delivery does not wait for the commit, so subscribers may have seen
 * offsets that a crash lost. No later run may give such an offset to another publication of the
 * same epoch, or a client resuming from it would miss that publication. A run never lets a channel
 * run more than its bound ahead of its last commit (the {@link DiskStore} refuses the publication),
 * so after an unclean stop each channel continues that bound past its last committed offset. The
 * offsets in between are a gap: publications lost unacknowledged, or offsets never used. A clean
 * close leaves none.
 *
 * <p>Size: the live records (a channel's history, in the records of the commits that wrote it)
 * and retained entries, plus what the last 45 s wrote: chunks whose content was rewritten are
 * reused after the retention time (MVStore's default; shorter ones let a {@code kill -9} leave a
 * file that cannot be opened), and {@link #compact} rewrites chunks less than half full so that
 * theirs can be reused. It never moves chunks to shrink the file (MVStore's {@code compactFile}):
 * after an unclean stop that failed MVStore's own assertions ({@code FreeSpaceBitSet.allocate},
 * seen in {@code KillNineTest} with {@code -ea}).
 */
final class HistoryFile {
    /** The file in the data directory. */
    static final String FILE_NAME = "history.mv.db";
    /** How long a rewritten chunk is kept before its space is reused: MVStore's crash-safe default. */
    static final int RETENTION_MILLIS = 45_000;

    private static final Logger log = LoggerFactory.getLogger(HistoryFile.class);
    private static final String CLEAN = "clean";
    private static final String BOUND = "bound";
    /** The name of the log map. */
    static final String LOG = "log";

    private final MVStore mv;
    private final MVMap<Long, byte[]> records;
    private final MVMap<String, byte[]> retained;
    private final MVMap<String, String> store;
    /** Each channel's records, oldest first. */
    private final Map<String, RecordIndex> index = new HashMap<>();
    /** What each record and retained entry is encoded into before the file takes a copy. */
    private final RecordBuffer buffer = new RecordBuffer();
    private long nextKey;

    private HistoryFile(MVStore mv) {
        this.mv = mv;
        // Chunks a commit no longer needs are reused only after the retention time. MVStore writes its
        // file header (which names the live chunks) lazily, so a short retention lets a chunk the
        // header still names be overwritten, and a kill -9 then leaves a file that cannot be opened
        // (seen: AssertionError on open with 1 s). MVStore's own default (45 s) is safe.
        mv.setRetentionTime(RETENTION_MILLIS);
        records = mv.openMap(LOG, logType());
        retained = mv.openMap("retained");
        store = mv.openMap("store");
        Long last = records.lastKey();
        nextKey = last == null ? 1 : last + 1;
    }

    /** The log's types: written as they are, without MVStore's per-value type tag. */
    static MVMap.Builder<Long, byte[]> logType() {
        return new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE);
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

    /**
     * Reads the streams the file holds and makes it this run's: after an unclean stop each stream
     * continues its last run's bound past its last committed offset (see above), and the file then
     * records that this run has not closed cleanly yet and may run {@code bound} offsets ahead.
     * Drops leftovers of ended epochs, and rewrites a file of the earlier format. Commits and syncs
     * before it returns.
     */
    List<StreamStore.Stored> claim(long bound) {
        boolean clean = "true".equals(store.get(CLEAN));
        long jump = clean ? 0 : Long.parseLong(store.getOrDefault(BOUND, Long.toString(bound)));
        boolean earlier = EarlierFormat.in(mv);
        List<StreamStore.Stored> out = new ArrayList<>();
        for (StreamStore.Stored s : earlier ? EarlierFormat.read(mv, retained) : read()) {
            StreamStore.Stored moved = s;
            if (jump > 0 || earlier) { // the new offset (and an earlier format's history) in a record
                moved = new StreamStore.Stored(s.channel(), s.epoch(), s.offset() + jump, s.completedAt(),
                        s.lastActive(), s.history(), s.retained());
                long start = s.history().isEmpty() ? moved.offset() + 1 : s.history().get(0).offset();
                append(new HistoryRecord(s.channel(), s.epoch(), moved.offset(), start, s.completedAt(),
                        s.lastActive(), earlier ? s.history() : List.of()), start);
            }
            out.add(moved);
        }
        EarlierFormat.remove(mv);
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

    /** The channels the log holds, each from its records: the last one's state, and the publications it still holds. */
    private List<StreamStore.Stored> read() {
        Map<String, List<Map.Entry<Long, HistoryRecord>>> byChannel = new LinkedHashMap<>();
        records.forEach((key, bytes) -> {
            HistoryRecord r = HistoryRecord.decode(bytes);
            byChannel.computeIfAbsent(r.channel(), c -> new ArrayList<>()).add(Map.entry(key, r));
        });
        Map<String, List<Entry>> kept = group(retained);
        List<StreamStore.Stored> out = new ArrayList<>();
        for (Map.Entry<String, List<Map.Entry<Long, HistoryRecord>>> e : byChannel.entrySet()) {
            String channel = e.getKey();
            HistoryRecord state = e.getValue().get(e.getValue().size() - 1).getValue();
            RecordIndex own = new RecordIndex();
            List<Publication> hist = new ArrayList<>();
            for (Map.Entry<Long, HistoryRecord> k : e.getValue()) {
                HistoryRecord r = k.getValue();
                if (!r.epoch().equals(state.epoch())) { // of an ended epoch: a removal should have taken it
                    records.remove(k.getKey());
                    continue;
                }
                own.add(k.getKey(), r.lastPublished());
                for (Publication p : r.publications()) {
                    if (p.offset() >= state.historyStart() && p.offset() <= state.offset()
                            && (hist.isEmpty() || p.offset() > hist.get(hist.size() - 1).offset())) {
                        hist.add(p);
                    }
                }
            }
            index.put(channel, own);
            List<Publication> ret = new ArrayList<>(current(kept.getOrDefault(channel, List.of()), state.epoch(), retained));
            ret.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            out.add(new StreamStore.Stored(channel, state.epoch(), state.offset(), state.completedAt(),
                    state.lastActive(), hist, ret));
        }
        kept.keySet().removeAll(byChannel.keySet()); // retained entries of no stream in the log: nothing reads them
        kept.forEach((channel, entries) -> entries.forEach(en -> retained.remove(en.key())));
        return out;
    }

    /** A publication and its key in its map. */
    record Entry(String key, Publication p) {
    }

    /** The publications of {@code entries} in {@code epoch}; removes the others (of an ended epoch) from {@code map}. */
    static List<Publication> current(List<Entry> entries, String epoch, MVMap<String, byte[]> map) {
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

    static Map<String, List<Entry>> group(MVMap<String, byte[]> map) {
        Map<String, List<Entry>> out = new LinkedHashMap<>();
        map.forEach((key, bytes) -> {
            String channel = key.substring(0, key.indexOf(' '));
            out.computeIfAbsent(channel, c -> new ArrayList<>()).add(new Entry(key, PublicationCodec.decode(channel, bytes)));
        });
        return out;
    }

    /**
     * Puts what {@code t} took into the file: a record of the stream's state and of the
     * publications it added and still holds (those it evicted since are neither encoded nor
     * written), without the earlier records it no longer needs, and the retained keys changed; or,
     * for a removed stream, drops all of it.
     */
    void write(PendingWrites.Taken t) {
        String channel = t.channel();
        if (t.removed()) {
            RecordIndex own = index.remove(channel);
            if (own != null) {
                own.forEachKey(records::remove);
            }
            removeRange(retained, channel + ' ', channel + '!');
            return;
        }
        long start = t.historyStart();
        List<Publication> appended = t.appended();
        int first = 0; // offsets increase: what the stream still holds is a suffix
        while (first < appended.size() && appended.get(first).offset() < start) {
            first++;
        }
        List<Publication> held = appended.subList(first, appended.size());
        append(new HistoryRecord(channel, t.epoch(), t.offset(), start, t.completedAt(), t.lastActive(), held), start);
        String prefix = channel + ' ';
        t.retained().forEach((key, p) -> {
            if (p == null) {
                retained.remove(prefix + key);
            } else {
                retained.put(prefix + key, PublicationCodec.encodeAlone(p, buffer));
            }
        });
    }

    /** Adds {@code r} to the log, and drops the channel's earlier records with nothing at or after {@code start}. */
    private void append(HistoryRecord r, long start) {
        RecordIndex own = index.computeIfAbsent(r.channel(), c -> new RecordIndex());
        while (!own.isEmpty() && own.firstLastPublished() < start) {
            records.remove(own.firstKey());
            own.removeFirst();
        }
        long key = nextKey++;
        records.put(key, r.encode(buffer));
        own.add(key, r.lastPublished());
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
        // no chunk-moving compaction on close: MVStore 2.4.240's fails FreeSpaceBitSet.allocate's
        // assertion on some files and closes the store (a graceful restart then could not open its file)
        mv.close(0);
    }

    /** Lets go of the file without writing anything more, as a crash would. */
    void closeImmediately() {
        mv.closeImmediately();
    }
}
