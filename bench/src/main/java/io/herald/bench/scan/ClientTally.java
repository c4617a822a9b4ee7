package io.herald.bench.scan;

import java.util.BitSet;

/**
 * What one client saw, copied off its event loop.
 *
 * @param deflateOffered    whether the client offered permessage-deflate
 * @param deflateNegotiated whether the server accepted it
 * @param wireBytes         TCP bytes read, handshake and control frames included
 * @param frames            text frames that carried messages ({@code message} or {@code batch})
 * @param received          offsets received (each at most once, see {@code orderErrors})
 * @param orderErrors       messages whose offset was not above the previous one (duplicates included)
 * @param lagFrames         {@code lag} frames
 * @param lagSkipped        sum of their {@code skipped}
 * @param otherFrames       frames of any other type ({@code error}, {@code shutdown}, unknown) and client errors
 * @param lastOther         the last such frame or error, abbreviated; empty when none
 * @param finalReceived     whether the job's final message arrived
 * @param closeCode         the close code the server sent; -1 while open
 */
record ClientTally(boolean deflateOffered, boolean deflateNegotiated, long wireBytes, long frames, BitSet received,
        long orderErrors, long lagFrames, long lagSkipped, long otherFrames, String lastOther, boolean finalReceived,
        int closeCode) {
}
