package io.herald.internal;

import io.herald.Publication;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What one commit wrote of one channel, as an entry of the {@link HistoryFile}'s log: the channel,
 * its stream's state as of that commit (epoch, offset, start of history, completion and activity
 * times), and the publications the commit added that the stream still held, each framed by its
 * offset and length around its {@link PublicationCodec} bytes. Immutable.
 */
record HistoryRecord(String channel, String epoch, long offset, long historyStart, long completedAt, long lastActive,
        List<Publication> publications) {

    /** The offset of the last publication, or 0 when the record holds none. */
    long lastPublished() {
        return publications.isEmpty() ? 0 : publications.get(publications.size() - 1).offset();
    }

    byte[] encode() {
        byte[] c = channel.getBytes(StandardCharsets.UTF_8);
        byte[] e = epoch.getBytes(StandardCharsets.UTF_8);
        List<byte[]> encoded = new ArrayList<>(publications.size());
        int size = 4 + c.length + 4 + e.length + 4 * 8;
        for (Publication p : publications) {
            byte[] b = PublicationCodec.encode(p);
            encoded.add(b);
            size += 12 + b.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(c.length).put(c).putInt(e.length).put(e);
        out.putLong(offset).putLong(historyStart).putLong(completedAt).putLong(lastActive);
        for (int i = 0; i < encoded.size(); i++) {
            out.putLong(publications.get(i).offset()).putInt(encoded.get(i).length).put(encoded.get(i));
        }
        return out.array();
    }

    /** @throws IllegalArgumentException when {@code bytes} is not a record this class wrote */
    static HistoryRecord decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            String channel = string(in);
            String epoch = string(in);
            long offset = in.getLong();
            long historyStart = in.getLong();
            long completedAt = in.getLong();
            long lastActive = in.getLong();
            List<Publication> publications = new ArrayList<>();
            while (in.hasRemaining()) {
                in.getLong();
                byte[] p = new byte[in.getInt()];
                in.get(p);
                publications.add(PublicationCodec.decode(channel, p));
            }
            return new HistoryRecord(channel, epoch, offset, historyStart, completedAt, lastActive, publications);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException("unreadable history record (" + e + ")", e);
        }
    }

    private static String string(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
