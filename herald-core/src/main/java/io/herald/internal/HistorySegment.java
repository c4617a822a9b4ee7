package io.herald.internal;

import io.herald.Publication;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A run of one channel's history as the {@link HistoryFile} stores it: up to {@value #SIZE}
 * publications whose offsets fall in one aligned range, each framed as its offset (8 bytes), its
 * length (4 bytes) and its {@link PublicationCodec} bytes. One map entry per segment rather than per
 * publication: an MVStore update copies a B-tree page, so a commit that writes a busy channel's
 * publications one by one costs far more than one that writes a few segments. Stateless.
 */
final class HistorySegment {
    /** Publications per segment: a commit rewrites at most one partly filled segment per channel. */
    static final int SIZE = 32;

    private HistorySegment() {
    }

    /** The segment that holds {@code offset}: offsets 1 to 32 are in segment 0, 33 to 64 in 1, and so on. */
    static long index(long offset) {
        return (offset - 1) / SIZE;
    }

    /**
     * {@code existing} (or nothing) without its publications before {@code keepFrom}, followed by
     * {@code added}, whose offsets follow those of {@code existing}.
     */
    static byte[] append(byte[] existing, long keepFrom, List<Publication> added) {
        List<byte[]> encoded = new ArrayList<>(added.size());
        int size = 0;
        for (Publication p : added) {
            byte[] e = PublicationCodec.encode(p);
            encoded.add(e);
            size += 12 + e.length;
        }
        int keepAt = existing == null ? 0 : start(existing, keepFrom);
        int kept = existing == null ? 0 : existing.length - keepAt;
        ByteBuffer out = ByteBuffer.allocate(kept + size);
        if (kept > 0) {
            out.put(existing, keepAt, kept);
        }
        for (int i = 0; i < added.size(); i++) {
            out.putLong(added.get(i).offset()).putInt(encoded.get(i).length).put(encoded.get(i));
        }
        return out.array();
    }

    /** Where the first publication at or after {@code offset} starts in {@code segment}. */
    private static int start(byte[] segment, long offset) {
        ByteBuffer in = ByteBuffer.wrap(segment);
        while (in.remaining() >= 12 && in.getLong(in.position()) < offset) {
            in.position(in.position() + 12 + in.getInt(in.position() + 8));
        }
        return in.position();
    }

    /**
     * The publications of {@code segment}, in order.
     *
     * @throws IllegalArgumentException when it is not a segment this class wrote
     */
    static List<Publication> decode(String channel, byte[] segment) {
        List<Publication> out = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(segment);
        while (in.hasRemaining()) {
            if (in.remaining() < 12 || in.getInt(in.position() + 8) < 0
                    || in.getInt(in.position() + 8) > in.remaining() - 12) {
                throw new IllegalArgumentException("unreadable history segment of channel '" + channel + "'");
            }
            in.getLong();
            byte[] p = new byte[in.getInt()];
            in.get(p);
            out.add(PublicationCodec.decode(channel, p));
        }
        return out;
    }
}
