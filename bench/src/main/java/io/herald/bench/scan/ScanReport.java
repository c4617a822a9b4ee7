package io.herald.bench.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Renders the runs of one benchmark as Markdown: a per-client table for every configuration and
 * deflate setting, the reductions against the pass-through configuration, and the checks.
 */
final class ScanReport {
    /** The configuration every other one is compared with. */
    static final String BASELINE = "passthrough";
    /** Publisher lateness above which a run's timing-dependent counts get a warning: 2.5 default batch intervals. */
    static final double LATE_WARNING_MILLIS = 250;

    private final List<ConfigRun> runs;
    private final String when;

    ScanReport(List<ConfigRun> runs, String when) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to report");
        }
        this.runs = List.copyOf(runs);
        this.when = when;
    }

    /** Whether every client of every run passed every check. */
    boolean passed() {
        return runs.stream().allMatch(r -> r.clients().stream().allMatch(c -> c.problems().isEmpty()));
    }

    String markdown() {
        ConfigRun first = runs.get(0);
        StringBuilder md = new StringBuilder();
        md.append("# Herald `scan` benchmark\n\n");
        md.append(String.format(Locale.ROOT, "- %s · seed %d · speed %s× (the 60 s job replayed in %.1f s) · per configuration "
                + "%d clients offering permessage-deflate and %d not, all subscribed to one channel%n", when, first.seed(),
                number(first.speed()), 60 / first.speed(), first.clientsPerMode(), first.clientsPerMode()));
        md.append(String.format(Locale.ROOT, "- published per configuration: %,d messages = %,d critical + %,d keyed + %,d plain%n%n",
                first.critical() + first.keyed() + first.plain(), first.critical(), first.keyed(), first.plain()));
        perClient(md);
        reductions(md);
        deflateEffect(md);
        runsTable(md);
        checks(md);
        return md.toString();
    }

    private void perClient(StringBuilder md) {
        md.append("## Per client\n\n");
        md.append("Mean over the row's clients, `mean (min–max)` when they differ. "
                + "`critical lost` is the worst client; `final keys` is yes when every client got the last value of every key.\n\n");
        md.append("| configuration | deflate | frames | wire bytes | msgs/frame | critical | keyed | plain | critical lost | final keys | lag frames |\n");
        md.append("|---|---|--:|--:|--:|--:|--:|--:|--:|:-:|--:|\n");
        for (ConfigRun r : runs) {
            for (boolean deflate : new boolean[] {false, true}) {
                List<ClientResult> cs = r.clients(deflate);
                if (cs.isEmpty()) {
                    continue;
                }
                double messages = mean(cs, c -> c.critical() + c.keyed() + c.plain());
                double frames = mean(cs, ClientResult::frames);
                long criticalLost = cs.stream().mapToLong(ClientResult::criticalLost).max().orElse(0);
                long withFinal = cs.stream().filter(c -> c.keysWithoutFinal().isEmpty() && c.finalReceived()).count();
                md.append("| ").append(r.name()).append(" | ").append(deflateLabel(cs))
                        .append(" | ").append(spread(cs, ClientResult::frames))
                        .append(" | ").append(spread(cs, ClientResult::wireBytes))
                        .append(" | ").append(frames == 0 ? "–" : String.format(Locale.ROOT, "%.1f", messages / frames))
                        .append(" | ").append(spread(cs, ClientResult::critical))
                        .append(" | ").append(spread(cs, ClientResult::keyed))
                        .append(" | ").append(spread(cs, ClientResult::plain))
                        .append(" | ").append(criticalLost)
                        .append(" | ").append(withFinal == cs.size() ? "yes" : "no (" + withFinal + "/" + cs.size() + ")")
                        .append(" | ").append(spread(cs, ClientResult::lagFrames))
                        .append(" |\n");
            }
        }
        md.append('\n');
    }

    private void reductions(StringBuilder md) {
        Optional<ConfigRun> base = runs.stream().filter(r -> r.name().equals(BASELINE)).findFirst();
        md.append("## Reduction vs ").append(BASELINE).append("\n\n");
        if (base.isEmpty()) {
            md.append("No `").append(BASELINE).append("` run, so nothing to compare with.\n\n");
            return;
        }
        md.append("Per-client means, each against `").append(BASELINE).append("` with the same deflate setting.\n\n");
        md.append("| configuration | deflate | frames | wire bytes |\n|---|---|--:|--:|\n");
        for (ConfigRun r : runs) {
            if (r == base.get()) {
                continue;
            }
            for (boolean deflate : new boolean[] {false, true}) {
                List<ClientResult> cs = r.clients(deflate);
                List<ClientResult> bs = base.get().clients(deflate);
                if (cs.isEmpty() || bs.isEmpty()) {
                    continue;
                }
                md.append("| ").append(r.name()).append(" | ").append(deflateLabel(cs))
                        .append(" | ").append(change(mean(cs, ClientResult::frames), mean(bs, ClientResult::frames), "frames"))
                        .append(" | ").append(change(mean(cs, ClientResult::wireBytes), mean(bs, ClientResult::wireBytes), "bytes"))
                        .append(" |\n");
            }
        }
        md.append('\n');
    }

    private void deflateEffect(StringBuilder md) {
        md.append("## permessage-deflate\n\nWire bytes of the clients offering deflate against those not offering it, per configuration.\n\n");
        md.append("| configuration | negotiated | wire bytes |\n|---|---|--:|\n");
        for (ConfigRun r : runs) {
            List<ClientResult> on = r.clients(true);
            List<ClientResult> off = r.clients(false);
            if (!on.isEmpty() && !off.isEmpty()) {
                md.append("| ").append(r.name()).append(" | ").append(deflateLabel(on).equals("on") ? "yes" : "no")
                        .append(" | ").append(change(mean(on, ClientResult::wireBytes), mean(off, ClientResult::wireBytes), "bytes"))
                        .append(" |\n");
            }
        }
        md.append('\n');
    }

    private void runsTable(StringBuilder md) {
        md.append("## Runs\n\n`final after replay`: until every client had the final message. `server CPU`: from the start of "
                + "the replay until then, JIT warm-up of the fresh server included, and per message delivered to a client.\n\n");
        md.append("| configuration | server arguments | publish requests | replay s | publisher max late ms | final after replay s "
                + "| server CPU s | µs per delivered message |\n");
        md.append("|---|---|--:|--:|--:|--:|--:|--:|\n");
        List<String> notes = new ArrayList<>();
        for (ConfigRun r : runs) {
            long delivered = r.clients().stream().mapToLong(c -> c.critical() + c.keyed() + c.plain()).sum();
            boolean cpu = r.serverCpuMillis() >= 0;
            md.append(String.format(Locale.ROOT, "| %s | `%s` | %,d | %.2f | %.0f | %.2f | %s | %s |%n", r.name(),
                    r.serverArgs().isBlank() ? "(defaults)" : r.serverArgs(), r.requests(), r.replaySeconds(),
                    r.maxLateMillis(), r.drainSeconds(), cpu ? String.format(Locale.ROOT, "%.2f", r.serverCpuMillis() / 1000.0) : "–",
                    cpu && delivered > 0 ? String.format(Locale.ROOT, "%.1f", r.serverCpuMillis() * 1000.0 / delivered) : "–"));
            if (!r.note().isBlank()) {
                notes.add("- **" + r.name() + "**: " + r.note());
            }
            if (r.maxLateMillis() > LATE_WARNING_MILLIS) {
                notes.add(String.format(Locale.ROOT, "- **%s**: the publisher fell up to %.0f ms behind schedule (a busy machine, a cold "
                        + "JIT) and caught up with larger requests. Throttling and batching work on wall-clock time, so counts "
                        + "that depend on timing (keyed messages, frames) vary more between runs for this row.", r.name(), r.maxLateMillis()));
            }
        }
        md.append('\n');
        if (!notes.isEmpty()) {
            md.append(String.join("\n", notes)).append("\n\n");
        }
    }

    private void checks(StringBuilder md) {
        md.append("## Checks\n\n");
        List<String> failures = new ArrayList<>();
        for (ConfigRun r : runs) {
            for (int i = 0; i < r.clients().size(); i++) {
                ClientResult c = r.clients().get(i);
                for (String p : c.problems()) {
                    failures.add("- " + r.name() + ", client " + (i + 1) + " (deflate " + (c.deflateOffered() ? "offered" : "off")
                            + "): " + p);
                }
            }
        }
        if (failures.isEmpty()) {
            md.append("All passed: no critical message lost, the final value of every key and the final message reached every "
                    + "client, offsets in order, no plain message missing without a `lag` report, no unexpected frame.\n");
        } else {
            md.append("FAILED:\n\n").append(String.join("\n", failures)).append('\n');
        }
    }

    private static String deflateLabel(List<ClientResult> cs) {
        boolean offered = cs.get(0).deflateOffered();
        long negotiated = cs.stream().filter(ClientResult::deflateNegotiated).count();
        if (!offered) {
            return "off";
        }
        return negotiated == cs.size() ? "on" : negotiated == 0 ? "refused" : "mixed";
    }

    private static double mean(List<ClientResult> cs, ToLongFunction<ClientResult> f) {
        return cs.stream().mapToLong(f).average().orElse(0);
    }

    private static String spread(List<ClientResult> cs, ToLongFunction<ClientResult> f) {
        long min = cs.stream().mapToLong(f).min().orElse(0);
        long max = cs.stream().mapToLong(f).max().orElse(0);
        String mean = String.format(Locale.ROOT, "%,d", Math.round(mean(cs, f)));
        return min == max ? mean : String.format(Locale.ROOT, "%s (%,d–%,d)", mean, min, max);
    }

    /** {@code "-93% frames"}: the relative change from {@code base} to {@code value}. */
    static String change(double value, double base, String unit) {
        if (base == 0) {
            return "–";
        }
        long percent = Math.round(100 * (value - base) / base);
        return String.format(Locale.ROOT, "%s%d%% %s", percent > 0 ? "+" : percent < 0 ? "" : "±", percent, unit);
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
