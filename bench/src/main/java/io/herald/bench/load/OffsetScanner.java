package io.herald.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * Reads what the overload benchmark needs from a Herald text frame without a JSON parser: the
 * frame's {@code type} (every Herald frame starts {@code {"type":"…"}), the offsets of a
 * {@code message} or {@code batch} frame, in order, and the {@code skipped} count of a {@code lag}
 * frame or the {@code offset} of a {@code subscribed} one. The publisher's {@code data} holds no
 * field named {@code offset}, so every {@code "offset":} of a message frame is one message's. A
 * Boyer-Moore-Horspool search reads about a ninth of the bytes: 2,000 clients of an overloaded
 * server can receive a million messages a second on the load generator's one core. Stateless.
 */
final class OffsetScanner {
    enum Type {
        MESSAGES, LAG, PING, SUBSCRIBED, OTHER
    }

    /** Receives what a frame holds. */
    interface Sink {
        void offset(long offset);
    }

    private static final byte[] TYPE_PREFIX = bytes("{\"type\":\"");
    private static final byte[] OFFSET = bytes("\"offset\":");
    private static final byte[] SKIPPED = bytes("\"skipped\":");
    private static final int[] OFFSET_SKIP = skipTable(OFFSET);

    private OffsetScanner() {
    }

    /** The type of the frame in {@code b[0..length)}. */
    static Type type(byte[] b, int length) {
        if (!startsWith(b, length, TYPE_PREFIX)) {
            return Type.OTHER;
        }
        int at = TYPE_PREFIX.length;
        if (is(b, length, at, "message\"") || is(b, length, at, "batch\"")) {
            return Type.MESSAGES;
        }
        if (is(b, length, at, "lag\"")) {
            return Type.LAG;
        }
        if (is(b, length, at, "ping\"")) {
            return Type.PING;
        }
        if (is(b, length, at, "subscribed\"")) {
            return Type.SUBSCRIBED;
        }
        return Type.OTHER;
    }

    /** Calls {@code sink} with each {@code "offset":N} of the frame, in order; returns how many. */
    static int offsets(byte[] b, int length, Sink sink) {
        int found = 0;
        int m = OFFSET.length;
        int i = 0;
        while (i + m <= length) {
            int k = m - 1;
            while (k >= 0 && b[i + k] == OFFSET[k]) {
                k--;
            }
            if (k >= 0) {
                i += OFFSET_SKIP[b[i + m - 1] & 0xFF];
                continue;
            }
            int at = i + m;
            if (at < length && b[at] >= '0' && b[at] <= '9') {
                sink.offset(digits(b, at, length));
                found++;
            }
            i = at;
        }
        return found;
    }

    /** The number after the first {@code "offset":} (a {@code subscribed} frame's position), or -1. */
    static long firstOffset(byte[] b, int length) {
        return numberAfter(b, length, OFFSET);
    }

    /** The number after {@code "skipped":} (a {@code lag} frame's count), or -1. */
    static long skipped(byte[] b, int length) {
        return numberAfter(b, length, SKIPPED);
    }

    private static long numberAfter(byte[] b, int length, byte[] key) {
        outer:
        for (int i = 0; i + key.length < length; i++) {
            for (int k = 0; k < key.length; k++) {
                if (b[i + k] != key[k]) {
                    continue outer;
                }
            }
            int at = i + key.length;
            return b[at] >= '0' && b[at] <= '9' ? digits(b, at, length) : -1;
        }
        return -1;
    }

    private static long digits(byte[] b, int i, int length) {
        long v = 0;
        while (i < length && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i++] - '0');
        }
        return v;
    }

    private static boolean startsWith(byte[] b, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (b[k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean is(byte[] b, int length, int at, String word) {
        if (at + word.length() > length) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (b[at + k] != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int[] skipTable(byte[] pattern) {
        int[] skip = new int[256];
        java.util.Arrays.fill(skip, pattern.length);
        for (int k = 0; k < pattern.length - 1; k++) {
            skip[pattern[k] & 0xFF] = pattern.length - 1 - k;
        }
        return skip;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
