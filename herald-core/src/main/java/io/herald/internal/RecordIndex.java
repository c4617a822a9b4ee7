package io.herald.internal;

import java.util.function.LongConsumer;

/**
 * One channel's entries in the {@link HistoryFile}'s log, oldest first: each entry's key and the
 * offset of its last publication (0: none), in two rings of {@code long}s (16 bytes an entry).
 * Not thread-safe: the committer's.
 */
final class RecordIndex {
    private long[] keys = new long[4];
    private long[] lasts = new long[4];
    private int head;
    private int size;

    void add(long key, long lastPublished) {
        if (size == keys.length) {
            long[] k = new long[size * 2];
            long[] l = new long[size * 2];
            for (int i = 0; i < size; i++) {
                k[i] = keys[(head + i) % keys.length];
                l[i] = lasts[(head + i) % keys.length];
            }
            keys = k;
            lasts = l;
            head = 0;
        }
        keys[(head + size) % keys.length] = key;
        lasts[(head + size) % keys.length] = lastPublished;
        size++;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long firstKey() {
        return keys[head];
    }

    long firstLastPublished() {
        return lasts[head];
    }

    void removeFirst() {
        head = (head + 1) % keys.length;
        size--;
    }

    void forEachKey(LongConsumer action) {
        for (int i = 0; i < size; i++) {
            action.accept(keys[(head + i) % keys.length]);
        }
    }
}
