package io.herald.bench.scan;

import io.herald.workloads.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One client's tally checked against what was published.
 *
 * @param deflateOffered    whether the client offered permessage-deflate
 * @param deflateNegotiated whether the server accepted it
 * @param frames            text frames that carried messages
 * @param wireBytes         TCP bytes read
 * @param critical          critical messages received
 * @param keyed             keyed messages received
 * @param plain             plain messages received
 * @param unexpected        received offsets the publisher never got (must be 0)
 * @param criticalLost      critical messages published but not received (must be 0)
 * @param plainMissing      plain messages published but not received (only {@code lagSkipped} may be)
 * @param keysWithoutFinal  keys whose last published value did not arrive (must be empty)
 * @param lagFrames         {@code lag} frames received
 * @param lagSkipped        messages those frames reported as skipped
 * @param orderErrors       offsets not above the previous one (must be 0)
 * @param finalReceived     whether the final message arrived before the deadline
 * @param closeCode         close code sent by the server during the run; -1 if none
 * @param otherFrames       unexpected frames ({@code error}, {@code shutdown}) or client errors
 * @param lastOther         the last of those, abbreviated
 */
record ClientResult(boolean deflateOffered, boolean deflateNegotiated, long frames, long wireBytes, long critical,
        long keyed, long plain, long unexpected, long criticalLost, long plainMissing, List<String> keysWithoutFinal,
        long lagFrames, long lagSkipped, long orderErrors, boolean finalReceived, int closeCode, long otherFrames,
        String lastOther) {

    /** Classifies what the client received by the kind the publisher gave each offset. */
    static ClientResult check(ClientTally t, PublishLog log) {
        long[] byKind = new long[Kind.values().length];
        long unexpected = 0;
        for (int offset = t.received().nextSetBit(0); offset >= 0; offset = t.received().nextSetBit(offset + 1)) {
            var event = log.at(offset);
            if (event.isPresent()) {
                byKind[event.get().kind().ordinal()]++;
            } else {
                unexpected++;
            }
        }
        List<String> keysWithoutFinal = new ArrayList<>();
        for (Map.Entry<String, Long> e : log.lastOffsetByKey().entrySet()) {
            if (!t.received().get(Math.toIntExact(e.getValue()))) {
                keysWithoutFinal.add(e.getKey());
            }
        }
        keysWithoutFinal.sort(null);
        long critical = byKind[Kind.CRITICAL.ordinal()];
        long plain = byKind[Kind.PLAIN.ordinal()];
        return new ClientResult(t.deflateOffered(), t.deflateNegotiated(), t.frames(), t.wireBytes(), critical,
                byKind[Kind.KEYED.ordinal()], plain, unexpected, log.published(Kind.CRITICAL) - critical,
                log.published(Kind.PLAIN) - plain, List.copyOf(keysWithoutFinal), t.lagFrames(), t.lagSkipped(),
                t.orderErrors(), t.finalReceived(), t.closeCode(), t.otherFrames(), t.lastOther());
    }

    /** What is wrong with this client's delivery, as short phrases; empty when it is correct. */
    List<String> problems() {
        List<String> p = new ArrayList<>();
        if (criticalLost > 0) {
            p.add(criticalLost + " critical lost");
        }
        if (!keysWithoutFinal.isEmpty()) {
            p.add("final value missing for " + keysWithoutFinal);
        }
        if (!finalReceived) {
            p.add("final message not received");
        }
        if (orderErrors > 0) {
            p.add(orderErrors + " offsets out of order or repeated");
        }
        if (unexpected > 0) {
            p.add(unexpected + " offsets never published");
        }
        if (plainMissing > lagSkipped) {
            p.add((plainMissing - lagSkipped) + " plain messages missing without a lag report");
        }
        if (closeCode >= 0) {
            p.add("closed by the server with " + closeCode);
        }
        if (otherFrames > 0) {
            p.add(otherFrames + " unexpected frames, last: " + lastOther);
        }
        return p;
    }
}
