package io.herald.internal;

import io.herald.Publication;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What one commit wrote of one channel, as an entry of the {@link HistoryFile}'s log: the channel,
 * its stream's state as of that commit (epoch, offset, start of history, completion and activity
 * times), and the publications the commit added that the stream still held. Immutable.
 *
 * <p><b>Format 2</b> (written): the int {@value #VERSION_2}, the channel and the epoch (each an int
 * length and UTF-8), the four longs of state, then the publications in {@link PublicationCodec}'s
 * format 2, to the end. <b>Format 1</b> (read only; files written before): the same without the
 * version, so it starts with the channel's length, which is positive; then the state, and each
 * publication as its offset (a long), its length (an int) and its {@link PublicationCodec} JSON.
 */
record HistoryRecord(String channel, String epoch, long offset, long historyStart, long completedAt, long lastActive,
        List<Publication> publications) {
    /** The first int of a record of format 2: negative, where a record of format 1 has a channel's length. */
    static final int VERSION_2 = -2;

    /** The offset of the last publication, or 0 when the record holds none. */
    long lastPublished() {
        return publications.isEmpty() ? 0 : publications.get(publications.size() - 1).offset();
    }

    /** This record in format 2, through {@code buffer} (reused: the result is a copy). */
    byte[] encode(RecordBuffer buffer) {
        buffer.clear().putInt(VERSION_2).putString(channel).putString(epoch);
        buffer.putLong(offset).putLong(historyStart).putLong(completedAt).putLong(lastActive);
        for (Publication p : publications) {
            PublicationCodec.write(p, buffer);
        }
        return buffer.toArray();
    }

    /** @throws IllegalArgumentException when {@code bytes} is not a record of format 2 or 1 */
    static HistoryRecord decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            int first = in.getInt(0);
            if (first == VERSION_2) {
                in.getInt();
            } else if (first <= 0) {
                throw new IllegalArgumentException("unknown record format " + first);
            }
            String channel = PublicationCodec.string(in);
            String epoch = PublicationCodec.string(in);
            long offset = in.getLong();
            long historyStart = in.getLong();
            long completedAt = in.getLong();
            long lastActive = in.getLong();
            List<Publication> publications = new ArrayList<>();
            while (in.hasRemaining()) {
                publications.add(first == VERSION_2 ? PublicationCodec.read(channel, epoch, in) : formatOne(channel, in));
            }
            return new HistoryRecord(channel, epoch, offset, historyStart, completedAt, lastActive, publications);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable history record (" + e + ")", e);
        }
    }

    private static Publication formatOne(String channel, ByteBuffer in) {
        in.getLong(); // the offset, also in the JSON
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("a publication of " + n + " bytes with " + in.remaining() + " left");
        }
        byte[] p = new byte[n];
        in.get(p);
        return PublicationCodec.decodeJson(channel, p);
    }
}
