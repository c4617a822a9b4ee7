package io.herald.workloads;

import java.util.Locale;
import java.util.Random;

/**
 * The {@code dashboard} reference workload of {@code WORKLOADS.md}: the snapshots a monitoring
 * backend sends to its dashboards, one every 10 s, each a 2–4 KiB JSON object (about 3 KiB): the
 * totals of a CDN and one row for each of its 16 points of presence (requests per second, error
 * rate, latency percentiles, cache hit ratio, regressions, status). Values move as random walks
 * with a slow daily swing and an occasional regression, from a seed: the same seed gives the same
 * snapshots in the same order.
 *
 * <pre>{@code
 * DashboardWorkload snapshots = new DashboardWorkload(DashboardWorkload.DEFAULT_SEED);
 * String json = snapshots.next(clock.epochMillis());
 * }</pre>
 *
 * <p>Not thread-safe: one publisher draws the snapshots, in order.
 */
public final class DashboardWorkload {
    /** The seed the examples and benchmarks use unless told otherwise. */
    public static final long DEFAULT_SEED = 20_251_130L;
    /** The points of presence in each snapshot. */
    public static final int POPS = 16;

    private static final String[][] SITES = {
        {"fra1", "Frankfurt"}, {"ams2", "Amsterdam"}, {"lon1", "London"}, {"par1", "Paris"}, {"mad1", "Madrid"},
        {"waw1", "Warsaw"}, {"nyc3", "New York"}, {"iad1", "Ashburn"}, {"ord1", "Chicago"}, {"dfw2", "Dallas"},
        {"sfo2", "San Francisco"}, {"gru1", "São Paulo"}, {"sgp1", "Singapore"}, {"nrt1", "Tokyo"}, {"syd1", "Sydney"},
        {"bom1", "Mumbai"},
    };

    private final Random random;
    private final double[] baseRps = new double[POPS];
    private final double[] latency = new double[POPS];
    private final double[] errors = new double[POPS];
    private final double[] cacheHit = new double[POPS];
    private final int[] regressionLeft = new int[POPS];
    private long seq;

    public DashboardWorkload(long seed) {
        random = new Random(seed);
        for (int i = 0; i < POPS; i++) {
            baseRps[i] = 1_500 + random.nextInt(4_500);
            latency[i] = 12 + random.nextDouble() * 30;
            errors[i] = 0.05 + random.nextDouble() * 0.3;
            cacheHit[i] = 88 + random.nextDouble() * 9;
        }
    }

    /** The next snapshot, stamped {@code epochMillis}, as compact JSON of 2–4 KiB. */
    public String next(long epochMillis) {
        seq++;
        // one swing every 360 snapshots: an hour at one snapshot every 10 s
        double swing = 1 + 0.25 * Math.sin(2 * Math.PI * seq / 360.0);
        StringBuilder pops = new StringBuilder(3_000);
        double rpsTotal = 0;
        double errorWeighted = 0;
        double p50Weighted = 0;
        double p95Max = 0;
        double p99Max = 0;
        double hitWeighted = 0;
        int regressions = 0;
        int up = 0;
        for (int i = 0; i < POPS; i++) {
            latency[i] = clamp(latency[i] + random.nextGaussian() * 1.5, 8, 60);
            errors[i] = clamp(errors[i] + random.nextGaussian() * 0.03, 0.01, 0.8);
            cacheHit[i] = clamp(cacheHit[i] + random.nextGaussian() * 0.4, 80, 99.5);
            if (regressionLeft[i] == 0 && random.nextInt(150) == 0) {
                regressionLeft[i] = 3 + random.nextInt(6);
            }
            boolean regressed = regressionLeft[i] > 0;
            if (regressed) {
                regressionLeft[i]--;
            }
            double factor = regressed ? 2.5 + random.nextDouble() : 1;
            double rps = baseRps[i] * swing * (0.95 + random.nextDouble() * 0.1);
            double err = errors[i] * (regressed ? 6 : 1);
            double p50 = latency[i] * factor;
            double p95 = p50 * (2.6 + random.nextDouble() * 0.6);
            double p99 = p95 * (1.8 + random.nextDouble() * 0.5);
            String status = regressed ? (err > 2 ? "down" : "degraded") : "ok";
            if (!status.equals("down")) {
                up++;
            }
            if (regressed) {
                regressions++;
            }
            rpsTotal += rps;
            errorWeighted += err * rps;
            p50Weighted += p50 * rps;
            hitWeighted += cacheHit[i] * rps;
            p95Max = Math.max(p95Max, p95);
            p99Max = Math.max(p99Max, p99);
            pops.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"id\":\"%s\",\"city\":\"%s\",\"rps\":%d,\"errorRate\":%.3f,\"p50Ms\":%.1f,\"p95Ms\":%.1f,\"p99Ms\":%.1f,"
                            + "\"cacheHit\":%.1f,\"regressions\":%d,\"status\":\"%s\"}",
                    SITES[i][0], SITES[i][1], Math.round(rps), err, p50, p95, p99, cacheHit[i], regressed ? 1 : 0, status));
        }
        return String.format(Locale.ROOT,
                "{\"seq\":%d,\"ts\":%d,\"totals\":{\"requestsPerSecond\":%d,\"errorRate\":%.3f,\"p50Ms\":%.1f,\"p95Ms\":%.1f,"
                        + "\"p99Ms\":%.1f,\"cacheHit\":%.1f,\"bandwidthGbps\":%.2f,\"regressions\":%d,\"popsUp\":%d,\"popsTotal\":%d},"
                        + "\"pops\":[%s]}",
                seq, epochMillis, Math.round(rpsTotal), errorWeighted / rpsTotal, p50Weighted / rpsTotal, p95Max, p99Max,
                hitWeighted / rpsTotal, rpsTotal * 48_000 * 8 / 1e9, regressions, up, POPS, pops);
    }

    private static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }
}
