package io.herald.bench.idle;

import java.util.Optional;

/**
 * What {@code connections} idle connections would need on one node, extrapolated from one
 * server's measured slopes: heap and RSS (baseline + slope × connections), kernel memory (the
 * measured TCP buffer slope, halved because both ends of each loopback connection were on the
 * measuring machine, plus the slab objects a socket needs at the least), file descriptors and
 * client source addresses. Immutable.
 *
 * @param connections            the connections projected to
 * @param heapPerConnection      measured heap slope, bytes per connection
 * @param heapBaseline           heap at 0 connections (the baseline sample; the fit's intercept without one)
 * @param rssPerConnection       measured RSS slope, bytes per connection
 * @param rssBaseline            RSS at 0 connections
 * @param bufferPerSocket        measured TCP buffer memory per server-side socket (sockstat slope ÷ 2), NaN when not measured
 * @param objectsPerSocket       assumed: one object of each of {@link HostLimits#MINIMUM_CACHES}
 * @param slabPerSocket          measured socket slab caches per server-side socket (slab slope ÷ 2), NaN when not measured
 * @param baselineFds            the server's open files at 0 connections
 * @param portsPerSourceAddress  ephemeral ports of this machine's range
 */
public record IdleProjection(long connections, double heapPerConnection, double heapBaseline, double rssPerConnection,
                             double rssBaseline, double bufferPerSocket, long objectsPerSocket, double slabPerSocket,
                             long baselineFds, int portsPerSourceAddress) {
    public static final long ONE_MILLION = 1_000_000;

    /** The projection of {@code run} to {@code connections}; empty without a heap and an RSS slope. */
    public static Optional<IdleProjection> of(IdleRun run, HostLimits host, long connections) {
        Optional<IdleFit> heap = run.heapFit();
        Optional<IdleFit> rss = run.rssFit();
        if (heap.isEmpty() || rss.isEmpty()) {
            return Optional.empty();
        }
        Optional<IdleSample> base = run.baseline();
        double heapBase = base.filter(b -> b.heapBytes() >= 0).map(b -> (double) b.heapBytes()).orElse(heap.get().intercept());
        double rssBase = base.filter(b -> b.rssBytes() >= 0).map(b -> (double) b.rssBytes()).orElse(rss.get().intercept());
        double buffers = run.tcpMemFit(host.pageSize()).map(f -> f.slope() / 2).orElse(Double.NaN);
        double slab = run.slabFit().map(f -> f.slope() / 2).orElse(Double.NaN);
        long fds = base.map(IdleSample::fds).filter(f -> f >= 0).orElse(0L);
        return Optional.of(new IdleProjection(connections, heap.get().slope(), heapBase, rss.get().slope(), rssBase,
                buffers, host.minimumSocketBytes(), slab, fds, host.portsPerSourceAddress()));
    }

    /** Live heap at {@code connections}: baseline + slope × connections. */
    public double heapBytes() {
        return heapBaseline + heapPerConnection * connections;
    }

    public double rssBytes() {
        return rssBaseline + rssPerConnection * connections;
    }

    /**
     * Kernel memory per server-side socket used for the projection: the measured buffer memory
     * (never below 0: an idle socket's buffers cannot be negative, a slightly negative slope is
     * noise) plus the assumed minimum of objects.
     */
    public double kernelPerSocket() {
        double buffers = Double.isNaN(bufferPerSocket) ? 0 : Math.max(0, bufferPerSocket);
        return buffers + objectsPerSocket;
    }

    public double kernelBytes() {
        return kernelPerSocket() * connections;
    }

    /** RSS plus the kernel memory of the server's sockets. */
    public double totalBytes() {
        return rssBytes() + kernelBytes();
    }

    /** Open files the server process needs: one per connection plus what it held at 0 connections. */
    public long fdsNeeded() {
        return connections + baselineFds;
    }

    /** Client source addresses needed with this machine's ephemeral port range, to one server address and port. */
    public long sourceAddresses() {
        return ceilDiv(connections, portsPerSourceAddress);
    }

    /** Client source addresses needed with the widest ephemeral port range (1024–65535). */
    public long sourceAddressesWidest() {
        return ceilDiv(connections, HostLimits.WIDEST_PORT_RANGE);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
