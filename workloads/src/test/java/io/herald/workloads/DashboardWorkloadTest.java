package io.herald.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DashboardWorkloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> snapshots(long seed, int n) {
        DashboardWorkload w = new DashboardWorkload(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(w.next(1_800_000_000_000L + i * 10_000L));
        }
        return out;
    }

    @Test
    void sameSeedGivesTheSameSnapshotsAndAnotherSeedDoesNot() {
        assertThat(snapshots(DashboardWorkload.DEFAULT_SEED, 50)).isEqualTo(snapshots(DashboardWorkload.DEFAULT_SEED, 50))
                .isNotEqualTo(snapshots(DashboardWorkload.DEFAULT_SEED + 1, 50));
    }

    @Test
    void everySnapshotIsJsonOf2To4KibWithTheTotalsAndOneRowPerPointOfPresence() throws Exception {
        List<String> all = snapshots(DashboardWorkload.DEFAULT_SEED, 720);
        for (int i = 0; i < all.size(); i++) {
            String s = all.get(i);
            assertThat(s.getBytes(StandardCharsets.UTF_8).length).as(s).isBetween(2_048, 4_096);
            JsonNode n = JSON.readTree(s);
            assertThat(n.get("seq").asInt()).isEqualTo(i + 1);
            assertThat(n.get("ts").asLong()).isEqualTo(1_800_000_000_000L + i * 10_000L);
            assertThat(n.get("pops")).hasSize(DashboardWorkload.POPS);
            assertThat(n.at("/totals/requestsPerSecond").asLong()).isPositive();
            assertThat(n.at("/totals/p99Ms").asDouble()).isGreaterThan(n.at("/totals/p50Ms").asDouble());
            n.get("pops").forEach(p -> assertThat(p.get("status").asText()).isIn("ok", "degraded", "down"));
        }
    }

    @Test
    void regressionsComeAndGo() throws Exception {
        long withRegressions = 0;
        for (String s : snapshots(DashboardWorkload.DEFAULT_SEED, 720)) {
            if (JSON.readTree(s).at("/totals/regressions").asInt() > 0) {
                withRegressions++;
            }
        }
        assertThat(withRegressions).isBetween(20L, 700L);
    }
}
