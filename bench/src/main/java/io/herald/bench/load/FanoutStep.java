package io.herald.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One publish rate's outcome: what the publisher sent, what the subscribers received by the end
 * of the drain, and the CPU time each side used from the step's start to the end of its drain.
 * {@code subscribers}: the connections open at the end of the drain; {@code expected}: the
 * deliveries those owed for the messages published ({@link ChannelLayout#expected}: published ×
 * subscribers with one channel). Immutable.
 */
record FanoutStep(int step, double rate, PublishStep.Outcome publish, long subscribers, long expected, StepTally tally,
                  double wallSeconds, long serverCpuMillis, long loadgenCpuMillis, long publisherCpuMillis,
                  long machineCpuMillis, long serverRssBytes) {
    /** Below this share of the expected deliveries, a step is not sustained. */
    static final double MIN_DELIVERY_RATIO = 0.95;
    /** Above this p99 latency, a step is not sustained. */
    static final double MAX_P99_MILLIS = 1000;

    double deliveryRatio() {
        return expected() == 0 ? 0 : (double) tally.deliveries() / expected();
    }

    double deliveriesPerSecond() {
        return tally.deliveries() / publish.seconds();
    }

    /** Server CPU microseconds per delivered message; -1 when unknown. */
    double serverCpuMicrosPerDelivery() {
        return serverCpuMillis < 0 || tally.deliveries() == 0 ? -1 : serverCpuMillis * 1000.0 / tally.deliveries();
    }

    /**
     * Every message published at the asked rate (within 5%) without error, at least
     * {@link #MIN_DELIVERY_RATIO} of the deliveries within the drain, and p99 at most
     * {@link #MAX_P99_MILLIS}.
     */
    boolean sustained() {
        return publish.errors() == 0 && publish.achievedRate() >= 0.95 * rate && deliveryRatio() >= MIN_DELIVERY_RATIO
                && tally.latencyMillis(99) <= MAX_P99_MILLIS;
    }

    String summary() {
        return String.format("rate %.0f/s: %d/%d delivered (%.1f%%), %.0f deliveries/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms,"
                        + " server %.2f µs CPU/delivery (%.0f%% of a core), loadgen %.0f%%, other %.0f%%, %s",
                rate, tally.deliveries(), expected(), 100 * deliveryRatio(), deliveriesPerSecond(), tally.latencyMillis(50),
                tally.latencyMillis(99), tally.maxLatencyMillis(), serverCpuMicrosPerDelivery(), percent(serverCpuMillis),
                percent(loadgenCpuMillis), otherCpuPercent(), sustained() ? "sustained" : "NOT sustained");
    }

    /**
     * Machine CPU (all cores) not used by the server, the subscribers or the publisher, in % of one
     * core: other programs, or kernel work not charged to a process. High values make the step
     * suspect. -1 when unknown.
     */
    double otherCpuPercent() {
        if (machineCpuMillis < 0 || serverCpuMillis < 0 || loadgenCpuMillis < 0 || publisherCpuMillis < 0) {
            return -1;
        }
        return percent(Math.max(0, machineCpuMillis - serverCpuMillis - loadgenCpuMillis - publisherCpuMillis));
    }

    private double percent(long cpuMillis) {
        return cpuMillis < 0 ? -1 : cpuMillis / 10.0 / wallSeconds;
    }

    ObjectNode toJson(boolean warmup) {
        ObjectNode o = ProcessFiles.JSON.createObjectNode();
        o.put("step", step).put("warmup", warmup).put("rate", rate)
                .put("published", publish.ok()).put("publishErrors", publish.errors()).put("publishLastError", publish.lastError())
                .put("publishSeconds", publish.seconds()).put("achievedRate", publish.achievedRate())
                .put("publisherBehindMaxMillis", publish.behindMaxMillis())
                .put("subscribers", subscribers).put("expected", expected()).put("deliveries", tally.deliveries())
                .put("deliveryRatio", deliveryRatio()).put("deliveriesPerSecond", deliveriesPerSecond())
                .put("frames", tally.frames()).put("bytes", tally.bytes()).put("lagFrames", tally.lagFrames())
                .put("p50Millis", tally.latencyMillis(50)).put("p90Millis", tally.latencyMillis(90))
                .put("p99Millis", tally.latencyMillis(99)).put("p999Millis", tally.latencyMillis(99.9))
                .put("maxMillis", tally.maxLatencyMillis()).put("wallSeconds", wallSeconds)
                .put("serverCpuMillis", serverCpuMillis).put("serverCpuPercent", percent(serverCpuMillis))
                .put("serverCpuMicrosPerDelivery", serverCpuMicrosPerDelivery())
                .put("loadgenCpuPercent", percent(loadgenCpuMillis)).put("publisherCpuPercent", percent(publisherCpuMillis))
                .put("otherCpuPercent", otherCpuPercent())
                .put("serverRssBytes", serverRssBytes).put("sustained", !warmup && sustained());
        return o;
    }
}
