package io.herald.bench.idle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdleProjectionTest {
    static final long MIB = 1024 * 1024;

    /** A sample on exact lines: heap 20 MiB + 2,000 B/conn, RSS 80 MiB + 5,000 B/conn, kernel per loopback pair 2 pages/1000 and 7,000 B. */
    static IdleSample sample(long target, long connections, long extraHeap) {
        return new IdleSample(target, connections, 0, 20 * MIB + 2000 * connections + extraHeap, 40 * MIB + 4000 * connections,
                80 * MIB + 5000 * connections,
                100 + connections * 2 / 1000, 10 + 2 * connections, 30 + connections,
                Map.of("TCP", 1_000_000 + 4000 * connections, "filp", 200_000 + 3000 * connections));
    }

    static HostLimits host() {
        return new HostLimits(4096, 20_000, 1_048_576, 2_466_170, 32768, 60999, new long[] {287898, 383867, 575796},
                Map.of("TCP", 2368L, "sock_inode_cache", 832L, "filp", 192L, "dentry", 192L, "eventpoll_epi", 128L, "eventpoll_pwq", 64L));
    }

    static IdleRun run(long firstConnectionCost) {
        List<IdleSample> s = new ArrayList<>();
        s.add(sample(0, 0, 0));
        for (long c : new long[] {1000, 5000, 10000, 15000, 19000}) {
            s.add(sample(c, c, firstConnectionCost));
        }
        return new IdleRun("herald", "serve", "jstat", "", s);
    }

    @Test
    void slopesAreFittedOverTheLoadedCountsOnly() {
        // the first connection costs 3 MiB once: the baseline must not tilt the slope
        IdleRun r = run(3 * MIB);

        assertThat(r.heapFit().orElseThrow().slope()).isCloseTo(2000, within(1e-6));
        assertThat(r.heapFit().orElseThrow().intercept()).isCloseTo(23 * MIB, within(1e-3));
        assertThat(r.heapFit().orElseThrow().points()).isEqualTo(5);
        assertThat(r.rssFit().orElseThrow().slope()).isCloseTo(5000, within(1e-6));
        assertThat(r.tcpMemFit(4096).orElseThrow().slope()).isCloseTo(2 * 4096 / 1000.0, within(1e-9));
        assertThat(r.slabFit().orElseThrow().slope()).isCloseTo(7000, within(1e-6));
        assertThat(r.slabFit("TCP").orElseThrow().slope()).isCloseTo(4000, within(1e-6));
    }

    @Test
    void projectionToOneMillionAddsSlopeTimesConnectionsToTheBaseline() {
        IdleProjection p = IdleProjection.of(run(0), host(), IdleProjection.ONE_MILLION).orElseThrow();

        assertThat(p.heapBytes()).isCloseTo(20 * MIB + 2000 * 1e6, within(1e-2));
        assertThat(p.rssBytes()).isCloseTo(80 * MIB + 5000 * 1e6, within(1e-2));
        // both ends of each loopback connection were measured: half of each kernel slope per server socket
        assertThat(p.bufferPerSocket()).isCloseTo(4096 / 1000.0, within(1e-9));
        assertThat(p.slabPerSocket()).isCloseTo(3500, within(1e-6));
        assertThat(p.objectsPerSocket()).isEqualTo(2368 + 832 + 192 + 192 + 128 + 64);
        assertThat(p.kernelBytes()).isCloseTo((4.096 + 3776) * 1e6, within(1e-3));
        assertThat(p.totalBytes()).isCloseTo(p.rssBytes() + p.kernelBytes(), within(1e-3));
        assertThat(p.fdsNeeded()).isEqualTo(1_000_030);
        // 32768–60999 is 28,232 ports: 35.4 → 36 addresses; 1024–65535 is 64,512: 15.5 → 16
        assertThat(p.sourceAddresses()).isEqualTo(36);
        assertThat(p.sourceAddressesWidest()).isEqualTo(16);
    }

    @Test
    void negativeBufferSlopeIsNoiseAndCountsAsZero() {
        List<IdleSample> s = new ArrayList<>();
        for (long c : new long[] {0, 1000, 2000}) {
            s.add(new IdleSample(c, c, 0, 1000 * c, -1, 1000 * c, 500 - c / 100, 0, 10 + c, Map.of()));
        }
        IdleProjection p = IdleProjection.of(new IdleRun("x", "", "", "", s), host(), 1000).orElseThrow();

        assertThat(p.bufferPerSocket()).isNegative();
        assertThat(p.kernelPerSocket()).isEqualTo(3776);
        assertThat(p.slabPerSocket()).isNaN();
    }

    @Test
    void missingObjectSizesFallBackToTypicalOnes() {
        HostLimits h = new HostLimits(4096, -1, -1, -1, 32768, 60999, new long[0], Map.of("TCP", 2304L));

        assertThat(h.objectSizesMeasured()).isFalse();
        assertThat(h.typicalSized()).containsExactly("sock_inode_cache", "filp", "dentry", "eventpoll_epi", "eventpoll_pwq");
        assertThat(host().typicalSized()).isEmpty();
        assertThat(h.minimumSocketBytes()).isEqualTo(2304 + 832 + 192 + 192 + 128 + 64);
    }

    @Test
    void withoutTwoLoadedCountsThereIsNoSlope() {
        IdleRun only = new IdleRun("x", "", "", "boom", List.of(sample(0, 0, 0)));

        assertThat(only.heapFit()).isEmpty();
        assertThat(IdleProjection.of(only, host(), IdleProjection.ONE_MILLION)).isEmpty();
        // one loaded count and the baseline still make a line
        IdleRun two = new IdleRun("x", "", "", "", List.of(sample(0, 0, 0), sample(1000, 1000, 0)));
        assertThat(two.heapFit().orElseThrow().slope()).isCloseTo(2000, within(1e-6));
    }
}
