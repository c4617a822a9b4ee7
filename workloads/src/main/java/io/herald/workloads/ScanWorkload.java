package io.herald.workloads;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The {@code scan} reference workload of {@code WORKLOADS.md}: one 60 s network scan, about 15,000
 * events, generated from a seed. The same seed gives the same events in the same order at the same
 * times, so two runs publish byte-identical streams.
 *
 * <pre>{@code
 * List<ScanEvent> events = ScanWorkload.generate(ScanWorkload.DEFAULT_SEED);
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class ScanWorkload {
    /** The seed the benchmark uses unless told otherwise. */
    public static final long DEFAULT_SEED = 20_251_122L;
    /** Length of the job in schedule time, in microseconds (60 s). */
    public static final long DURATION_MICROS = seconds(60);
    /** {@code hostDiscovered}, plain, during discovery (0–20 s). */
    public static final int HOSTS = 2_000;
    /** {@code portFound}, plain, during the port scan (20–50 s). */
    public static final int PORTS = 8_000;
    /** {@code vulnerabilityFound}, plain, during the vulnerability scan (50–60 s). */
    public static final int VULNS = 500;
    /** {@code progress}, keyed, 60 per second throughout. */
    public static final int PROGRESS = 3_600;
    /** {@code stats}, keyed, 15 per second throughout. */
    public static final int STATS = 900;
    /** {@code scanStarted}, three {@code phaseStarted}, two {@code error}, {@code scanCompleted}. */
    public static final int CRITICAL = 7;
    /** The last event, published with {@code "final": true}. */
    public static final String FINAL_EVENT = "scanCompleted";

    private static final long[] PHASE_STARTS = {0, seconds(20), seconds(50)};
    private static final long[] PHASE_ENDS = {seconds(20), seconds(50), DURATION_MICROS};

    private ScanWorkload() {
    }

    /** Every event of the job, in time order (at equal times, critical events first). */
    public static List<ScanEvent> generate(long seed) {
        Random random = new Random(seed);
        int salt = random.nextInt(1 << 16);
        String scanId = "scan-" + Long.toString(seed & 0xFFFFFFL, 36);

        long[] hostTimes = times(random, HOSTS, PHASE_STARTS[0], PHASE_ENDS[0]);
        long[] portTimes = times(random, PORTS, PHASE_STARTS[1], PHASE_ENDS[1]);
        long[] vulnTimes = times(random, VULNS, PHASE_STARTS[2], PHASE_ENDS[2]);

        // Critical events go in first: the stable sort below then keeps them ahead of anything due
        // at the same microsecond (scanStarted before the first phaseStarted, before progress at 0 s).
        List<ScanEvent> events = new ArrayList<>(HOSTS + PORTS + VULNS + PROGRESS + STATS + CRITICAL);
        events.add(ScanEvent.critical(0, "scanStarted", ScanPayloads.scanStarted(scanId)));
        for (int phase = 0; phase < PHASE_STARTS.length; phase++) {
            events.add(ScanEvent.critical(PHASE_STARTS[phase], "phaseStarted",
                    ScanPayloads.phaseStarted(phase, (int) ((PHASE_ENDS[phase] - PHASE_STARTS[phase]) / seconds(1)))));
        }
        events.add(ScanEvent.critical(seconds(31), "error",
                ScanPayloads.error(ScanPayloads.ip(17, salt), "HOST_UNREACHABLE", "no route to host during SYN scan")));
        events.add(ScanEvent.critical(seconds(47), "error",
                ScanPayloads.error(ScanPayloads.ip(1_203, salt), "RATE_LIMITED", "ICMP rate limit hit; backing off")));
        events.add(ScanEvent.critical(DURATION_MICROS, FINAL_EVENT,
                ScanPayloads.scanCompleted(scanId, HOSTS, PORTS, VULNS, (int) (DURATION_MICROS / seconds(1)))).asFinal());

        String[] ips = new String[HOSTS];
        for (int i = 0; i < HOSTS; i++) {
            ips[i] = ScanPayloads.ip(i, salt);
            events.add(ScanEvent.plain(hostTimes[i], "hostDiscovered",
                    ScanPayloads.hostDiscovered(ips[i], ScanPayloads.hostname(random), random)));
        }
        String[] portIps = new String[PORTS];
        int[] ports = new int[PORTS];
        for (int i = 0; i < PORTS; i++) {
            ScanPayloads.Service s = ScanPayloads.service(random);
            portIps[i] = ips[random.nextInt(HOSTS)];
            ports[i] = s.port();
            events.add(ScanEvent.plain(portTimes[i], "portFound", ScanPayloads.portFound(portIps[i], s)));
        }
        for (int i = 0; i < VULNS; i++) {
            int found = random.nextInt(PORTS);
            events.add(ScanEvent.plain(vulnTimes[i], "vulnerabilityFound",
                    ScanPayloads.vulnerabilityFound(portIps[found], ports[found], random)));
        }
        for (int i = 0; i < PROGRESS; i++) {
            events.add(ScanEvent.keyed(i * DURATION_MICROS / PROGRESS, "progress", progress(i * DURATION_MICROS / PROGRESS)));
        }
        for (int i = 0; i < STATS; i++) {
            long at = i * DURATION_MICROS / STATS;
            events.add(ScanEvent.keyed(at, "stats", ScanPayloads.stats(countBefore(hostTimes, at), countBefore(portTimes, at),
                    countBefore(vulnTimes, at), at / 50 + random.nextInt(1_000), at / 1e6)));
        }
        events.sort(Comparator.comparingLong(ScanEvent::atMicros));
        return List.copyOf(events);
    }

    /** Counts of a generated workload by kind: what a full delivery must contain. */
    public static int count(List<ScanEvent> events, Kind kind) {
        return (int) events.stream().filter(e -> e.kind() == kind).count();
    }

    private static String progress(long at) {
        int phase = at < PHASE_STARTS[1] ? 0 : at < PHASE_STARTS[2] ? 1 : 2;
        double phaseDone = (double) (at - PHASE_STARTS[phase]) / (PHASE_ENDS[phase] - PHASE_STARTS[phase]);
        int hostsDone = (int) (phaseDone * HOSTS);
        int eta = (int) ((DURATION_MICROS - at) / seconds(1));
        return ScanPayloads.progress(phase, 100.0 * at / DURATION_MICROS, hostsDone, HOSTS, eta);
    }

    /** {@code n} random times in {@code [from, to)}, sorted. */
    private static long[] times(Random random, int n, long from, long to) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = from + (long) (random.nextDouble() * (to - from));
        }
        Arrays.sort(t);
        return t;
    }

    private static int countBefore(long[] sorted, long at) {
        int i = Arrays.binarySearch(sorted, at);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == at) { // bounded by the array; equal times are rare
            i--;
        }
        return i;
    }

    private static long seconds(long s) {
        return s * 1_000_000L;
    }
}
