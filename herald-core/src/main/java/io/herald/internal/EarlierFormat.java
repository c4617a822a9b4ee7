package io.herald.internal;

import io.herald.Publication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Reads a {@link HistoryFile} of the earlier format, so that an upgrade keeps its history: an
 * entry per publication in {@code history} (channel, a space, the offset in 16 hex digits), each
 * channel's state in {@code streams} ({@code epoch offset completedAt lastActive}), and per-channel
 * offset reservations in {@code reserved} (which the jump after an unclean stop covers, since that
 * format recorded no clean stop). The {@link HistoryFile} then writes it in its own format and
 * drops these maps, and {@code segments} (a layout that lived between the two, never released).
 * Stateless.
 */
final class EarlierFormat {
    private static final List<String> MAPS = List.of("history", "streams", "reserved", "segments");

    private EarlierFormat() {
    }

    static boolean in(MVStore mv) {
        return MAPS.stream().anyMatch(mv::hasMap);
    }

    /** The streams the earlier maps hold, with the retained entries of their epochs (others are removed). */
    static List<StreamStore.Stored> read(MVStore mv, MVMap<String, byte[]> retained) {
        Map<String, String[]> states = new LinkedHashMap<>();
        if (mv.hasMap("streams")) {
            mv.<String, String>openMap("streams").forEach((channel, s) -> states.put(channel, s.split(" ")));
        }
        Map<String, List<HistoryFile.Entry>> held = mv.hasMap("history")
                ? HistoryFile.group(mv.openMap("history")) : Map.of();
        Map<String, List<HistoryFile.Entry>> kept = HistoryFile.group(retained);
        Set<String> channels = new LinkedHashSet<>(states.keySet());
        channels.addAll(held.keySet());
        channels.addAll(kept.keySet());
        List<StreamStore.Stored> out = new ArrayList<>();
        for (String channel : channels) {
            List<HistoryFile.Entry> h = held.getOrDefault(channel, List.of());
            List<HistoryFile.Entry> r = kept.getOrDefault(channel, List.of());
            String[] state = states.get(channel);
            if (state == null || state.length < 4) { // that format could write publications before their state
                Publication last = (!h.isEmpty() ? h.get(h.size() - 1) : r.stream()
                        .max((a, b) -> Long.compare(a.p().offset(), b.p().offset())).orElseThrow()).p();
                state = new String[] {last.epoch(), "0", last.message().finalMessage() ? Long.toString(last.ts()) : "0",
                    Long.toString(last.ts())};
            }
            String epoch = state[0];
            List<Publication> hist = new ArrayList<>();
            for (HistoryFile.Entry e : h) {
                if (e.p().epoch().equals(epoch)) {
                    hist.add(e.p());
                }
            }
            List<Publication> ret = new ArrayList<>(HistoryFile.current(r, epoch, retained));
            ret.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            long offset = Long.parseLong(state[1]);
            for (Publication p : hist) {
                offset = Math.max(offset, p.offset());
            }
            for (Publication p : ret) {
                offset = Math.max(offset, p.offset());
            }
            out.add(new StreamStore.Stored(channel, epoch, offset, Long.parseLong(state[2]), Long.parseLong(state[3]),
                    hist, ret));
        }
        return out;
    }

    static void remove(MVStore mv) {
        for (String map : MAPS) {
            if (mv.hasMap(map)) {
                mv.removeMap(map);
            }
        }
    }
}
