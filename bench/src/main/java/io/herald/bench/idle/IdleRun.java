package io.herald.bench.idle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * One server's {@code idle} run as {@code bench/idle.sh} wrote it ({@code <server>.json}): the
 * baseline after start and one sample per connection count, and the lines fitted through them.
 * Immutable.
 *
 * @param name       the server ({@code herald}, {@code raw-netty}, …)
 * @param serverArgs how it was started, for the report
 * @param heapSource how its heap was read, for the report
 * @param error      why the run stopped early, or empty
 * @param samples    in the order taken
 */
public record IdleRun(String name, String serverArgs, String heapSource, String error, List<IdleSample> samples) {
    public IdleRun {
        samples = List.copyOf(samples);
    }

    static IdleRun of(JsonNode n) {
        List<IdleSample> samples = new ArrayList<>();
        n.path("samples").forEach(s -> samples.add(IdleSample.of(s)));
        return new IdleRun(n.path("server").asText(), n.path("serverArgs").asText(), n.path("heapSource").asText(),
                n.path("error").asText(""), samples);
    }

    /** The sample at 0 connections, taken after the server started and a full GC. */
    public Optional<IdleSample> baseline() {
        return samples.stream().filter(s -> s.target() == 0).findFirst();
    }

    public Optional<IdleFit> heapFit() {
        return fit(IdleSample::heapBytes);
    }

    public Optional<IdleFit> rssFit() {
        return fit(IdleSample::rssBytes);
    }

    /** The machine's TCP buffer memory in bytes against connections (both ends of each connection). */
    public Optional<IdleFit> tcpMemFit(long pageSize) {
        return fit(s -> s.tcpMemPages() < 0 ? -1 : (double) s.tcpMemPages() * pageSize);
    }

    /** The machine's socket slab caches in bytes against connections (both ends of each connection). */
    public Optional<IdleFit> slabFit() {
        return fit(IdleSample::slabBytes);
    }

    /** One slab cache's bytes against connections, when every sample has it. */
    public Optional<IdleFit> slabFit(String cache) {
        return fit(s -> s.slab().getOrDefault(cache, -1L));
    }

    /**
     * The least-squares line of {@code y} against open connections. It is fitted to the samples
     * with connections open, so the one-off cost of the first connection (classes, buffer pools)
     * does not tilt it; the baseline joins them only when they alone cannot give a line. Samples
     * where {@code y} is negative (not read) are left out. Empty when no line can be drawn.
     */
    public Optional<IdleFit> fit(ToDoubleFunction<IdleSample> y) {
        List<IdleSample> usable = samples.stream().filter(s -> y.applyAsDouble(s) >= 0).toList();
        List<IdleSample> loaded = usable.stream().filter(s -> s.connections() > 0).toList();
        List<IdleSample> points = distinctX(loaded) >= 2 ? loaded : usable;
        if (distinctX(points) < 2) {
            return Optional.empty();
        }
        double[] xs = points.stream().mapToDouble(IdleSample::connections).toArray();
        double[] ys = points.stream().mapToDouble(y).toArray();
        return Optional.of(IdleFit.of(xs, ys));
    }

    private static int distinctX(List<IdleSample> s) {
        return new TreeSet<>(s.stream().map(IdleSample::connections).toList()).size();
    }

    /** The largest number of connections held at once. */
    public long maxConnections() {
        return samples.stream().mapToLong(IdleSample::connections).max().orElse(0);
    }
}
