package io.herald.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growing big-endian byte buffer that the {@link HistoryFile} encodes records into, reused from
 * one record to the next so that encoding a publication allocates nothing: strings of ASCII
 * characters (channels, epochs, event names, keys nearly always) are written char by char, and a
 * message's data is copied from its UTF-8 bytes. Not thread-safe: the committer's.
 */
final class RecordBuffer {
    private static final int INITIAL = 4096;
    /** Larger than this, the buffer is let go after its record: one record of large messages does not pin it. */
    private static final int KEPT = 1 << 20;

    private byte[] bytes = new byte[INITIAL];
    private int length;

    /** Starts a new record. */
    RecordBuffer clear() {
        if (bytes.length > KEPT) {
            bytes = new byte[INITIAL];
        }
        length = 0;
        return this;
    }

    /** A copy of what was written since {@link #clear}: the file keeps it. */
    byte[] toArray() {
        return Arrays.copyOf(bytes, length);
    }

    RecordBuffer putByte(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
        return this;
    }

    RecordBuffer putShort(int v) {
        ensure(2);
        bytes[length++] = (byte) (v >>> 8);
        bytes[length++] = (byte) v;
        return this;
    }

    RecordBuffer putInt(int v) {
        ensure(4);
        bytes[length++] = (byte) (v >>> 24);
        bytes[length++] = (byte) (v >>> 16);
        bytes[length++] = (byte) (v >>> 8);
        bytes[length++] = (byte) v;
        return this;
    }

    RecordBuffer putLong(long v) {
        putInt((int) (v >>> 32));
        return putInt((int) v);
    }

    /** {@code s} in UTF-8 after its length in bytes, an int. */
    RecordBuffer putString(String s) {
        int at = length;
        putInt(0);
        int n = putUtf8(s);
        writeIntAt(at, n);
        return this;
    }

    /** {@code s} in UTF-8 after its length in bytes, an unsigned short: at most 65,535 bytes. */
    RecordBuffer putShortString(String s) {
        int at = length;
        putShort(0);
        int n = putUtf8(s);
        if (n > 0xFFFF) {
            throw new IllegalArgumentException("longer than 65,535 bytes in UTF-8: " + s.substring(0, 40) + "…");
        }
        bytes[at] = (byte) (n >>> 8);
        bytes[at + 1] = (byte) n;
        return this;
    }

    /** The remaining bytes of {@code data} after their length, an int; {@code data}'s position moves to its end. */
    RecordBuffer putBytes(ByteBuffer data) {
        int n = data.remaining();
        putInt(n);
        ensure(n);
        data.get(bytes, length, n);
        length += n;
        return this;
    }

    private int putUtf8(String s) {
        int n = s.length();
        ensure(n);
        int start = length;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) { // rare: the whole string through the JDK's encoder
                length = start;
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                ensure(b.length);
                System.arraycopy(b, 0, bytes, length, b.length);
                length += b.length;
                return b.length;
            }
            bytes[length++] = (byte) c;
        }
        return n;
    }

    private void writeIntAt(int at, int v) {
        bytes[at] = (byte) (v >>> 24);
        bytes[at + 1] = (byte) (v >>> 16);
        bytes[at + 2] = (byte) (v >>> 8);
        bytes[at + 3] = (byte) v;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
