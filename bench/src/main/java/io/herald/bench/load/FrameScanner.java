package io.herald.bench.load;

/**
 * Finds the publish timestamps in a server text frame without a JSON parser: every
 * {@code "t":<digits>} is one delivered message, and the {@code "s":<digits>} after it its step.
 * The publisher's {@code data} is {@code {"t":…,"s":…,"pad":"xxx…"}} and no other field of any
 * server's frame is named {@code t} or {@code s}, so this counts the messages of a Herald
 * {@code message} or {@code batch} frame, a peer's frame and a Socket.IO {@code 42[…]} packet
 * alike. A parser would cost the load generator more CPU per delivery than a small server spends.
 * Stateless.
 */
final class FrameScanner {
    /** What a frame is, for the handler's answer. */
    enum Kind {
        /** Carried at least one message. */
        MESSAGES,
        /** Herald's {@code {"type":"ping"}}: answer {@code {"type":"pong"}}. */
        PING,
        /** Herald's {@code subscribed}. */
        SUBSCRIBED,
        /** Herald's {@code lag}: the server skipped messages for this slow client. */
        LAG,
        /** Engine.IO open packet {@code 0{…}}: answer {@code 40} (connect to the default namespace). */
        EIO_OPEN,
        /** Engine.IO ping {@code 2}: answer {@code 3}. */
        EIO_PING,
        /** Anything else ({@code welcome}, Socket.IO's {@code 40{…}}, unknown frames). */
        OTHER
    }

    /** Receives each message found. */
    interface Sink {
        void message(long publishedNanos, int step);
    }

    private static final byte[] PING = bytes("\"type\":\"ping\"");
    private static final byte[] SUBSCRIBED = bytes("\"type\":\"subscribed\"");
    private static final byte[] LAG = bytes("\"type\":\"lag\"");

    private FrameScanner() {
    }

    /** Scans {@code b[0..length)}; calls {@code sink} once per message, in order. */
    static Kind scan(byte[] b, int length, Sink sink) {
        int found = 0;
        // Boyer-Moore-Horspool over the 3 bytes "t": look at the window's last byte and skip 3 unless
        // it is '"' (2: it could start the pattern) or 't' (1). JSON is mostly letters and digits, so
        // this reads about a third of the bytes: at 2M deliveries/s it is a share of a core.
        int i = 1; // b[i - 1] is looked at below
        while (i + 2 < length) {
            byte last = b[i + 2];
            if (last != '"') {
                i += last == 't' ? 1 : 3;
                continue;
            }
            if (b[i] != '"' || b[i + 1] != 't') {
                i += 2;
                continue;
            }
            int at = valueStart(b, i + 3, length);
            if (at < 0) {
                i += 2;
                continue;
            }
            long t = digits(b, at, length);
            int step = -1;
            int next = at;
            for (int j = at; j + 3 < length; j++) {
                if (b[j] == '"' && b[j + 1] == 's' && b[j + 2] == '"') {
                    int sAt = valueStart(b, j + 3, length);
                    if (sAt >= 0) {
                        step = (int) digits(b, sAt, length);
                        next = sAt;
                    }
                    break;
                }
            }
            sink.message(t, step);
            found++;
            // the publisher's data object is exactly DATA_BYTES long: skip its padding
            int end = i - 1 + PublishStep.DATA_BYTES - 1;
            i = b[i - 1] == '{' && end < length && b[end] == '}' && b[end - 1] == '"' ? end + 1 : next + 1;
        }
        if (found > 0) {
            return Kind.MESSAGES;
        }
        if (length == 1 && b[0] == '2') {
            return Kind.EIO_PING;
        }
        if (length > 1 && b[0] == '0' && b[1] == '{') {
            return Kind.EIO_OPEN;
        }
        if (contains(b, length, PING)) {
            return Kind.PING;
        }
        if (contains(b, length, SUBSCRIBED)) {
            return Kind.SUBSCRIBED;
        }
        if (contains(b, length, LAG)) {
            return Kind.LAG;
        }
        return Kind.OTHER;
    }

    /** The index of the first digit after {@code [spaces] : [spaces]} from {@code i}, or -1. */
    private static int valueStart(byte[] b, int i, int length) {
        while (i < length && b[i] == ' ') {
            i++;
        }
        if (i >= length || b[i] != ':') {
            return -1;
        }
        i++;
        while (i < length && b[i] == ' ') {
            i++;
        }
        return i < length && (b[i] == '-' || (b[i] >= '0' && b[i] <= '9')) ? i : -1;
    }

    private static long digits(byte[] b, int i, int length) {
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        long v = 0;
        while (i < length && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i++] - '0');
        }
        return negative ? -v : v;
    }

    private static boolean contains(byte[] b, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (b[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
