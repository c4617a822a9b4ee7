package io.herald.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScanWorkloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<ScanEvent> events = ScanWorkload.generate(ScanWorkload.DEFAULT_SEED);

    @Test
    void sameSeedGivesTheSameEventsAndAnotherSeedDoesNot() {
        assertThat(ScanWorkload.generate(ScanWorkload.DEFAULT_SEED)).isEqualTo(events);
        assertThat(ScanWorkload.generate(ScanWorkload.DEFAULT_SEED + 1)).isNotEqualTo(events);
    }

    @Test
    void hasTheCountsOfWorkloadsMd() {
        Map<String, Long> byEvent = events.stream().collect(Collectors.groupingBy(ScanEvent::event, Collectors.counting()));
        assertThat(byEvent).containsExactlyInAnyOrderEntriesOf(Map.of(
                "hostDiscovered", 2_000L, "portFound", 8_000L, "vulnerabilityFound", 500L,
                "progress", 3_600L, "stats", 900L,
                "scanStarted", 1L, "phaseStarted", 3L, "error", 2L, "scanCompleted", 1L));
        assertThat(ScanWorkload.count(events, Kind.CRITICAL)).isEqualTo(7);
        assertThat(ScanWorkload.count(events, Kind.KEYED)).isEqualTo(4_500);
        assertThat(ScanWorkload.count(events, Kind.PLAIN)).isEqualTo(10_500);
    }

    @Test
    void eventsAreInTimeOrderWithinTheSixtySecondJob() {
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).atMicros()).isGreaterThanOrEqualTo(events.get(i - 1).atMicros());
        }
        assertThat(events.get(0).atMicros()).isZero();
        assertThat(events.get(events.size() - 1).atMicros()).isEqualTo(ScanWorkload.DURATION_MICROS);
    }

    @Test
    void criticalEventsComeAtTheirTimesAndTheJobEndsOnTheFinalOne() {
        List<String> critical = events.stream().filter(e -> e.kind() == Kind.CRITICAL)
                .map(e -> e.event() + "@" + e.atMicros() / 1_000_000).toList();
        assertThat(critical).containsExactly("scanStarted@0", "phaseStarted@0", "phaseStarted@20", "error@31",
                "error@47", "phaseStarted@50", "scanCompleted@60");
        assertThat(events.get(0).event()).isEqualTo("scanStarted");
        assertThat(events.get(1).event()).isEqualTo("phaseStarted");
        ScanEvent last = events.get(events.size() - 1);
        assertThat(last.event()).isEqualTo(ScanWorkload.FINAL_EVENT);
        assertThat(last.last()).isTrue();
        assertThat(events.stream().filter(ScanEvent::last)).hasSize(1);
    }

    @Test
    void plainEventsStayInTheirPhase() {
        Map<String, long[]> window = Map.of("hostDiscovered", new long[] {0, 20}, "portFound", new long[] {20, 50},
                "vulnerabilityFound", new long[] {50, 60});
        events.stream().filter(e -> e.kind() == Kind.PLAIN).forEach(e -> {
            long[] w = window.get(e.event());
            assertThat(e.atMicros()).isBetween(w[0] * 1_000_000, w[1] * 1_000_000 - 1);
        });
    }

    @Test
    void keyedEventsCarryTheirEventNameAsKeyAndComeAtAFixedRate() {
        Map<String, List<ScanEvent>> keyed = events.stream().filter(e -> e.kind() == Kind.KEYED)
                .collect(Collectors.groupingBy(ScanEvent::event));
        assertThat(keyed.keySet()).containsExactlyInAnyOrder("progress", "stats");
        keyed.forEach((event, list) -> assertThat(list).allSatisfy(e -> assertThat(e.key()).contains(event)));
        // 60/s and 15/s: 1/60 s and 1/15 s apart (to the microsecond)
        assertThat(keyed.get("progress").get(1).atMicros()).isEqualTo(16_666);
        assertThat(keyed.get("stats").get(1).atMicros()).isEqualTo(66_666);
    }

    @Test
    void payloadsAreRealisticJsonOf60To200Bytes() throws Exception {
        for (ScanEvent e : events) {
            assertThat(e.data().getBytes(StandardCharsets.UTF_8).length).as(e.data()).isBetween(60, 200);
            assertThat(JSON.readTree(e.data()).isObject()).as(e.data()).isTrue();
        }
        Function<String, JsonNode> first = name -> events.stream().filter(e -> e.event().equals(name)).findFirst()
                .map(e -> read(e.data())).orElseThrow();
        assertThat(first.apply("hostDiscovered").get("ip").asText()).matches("10\\.20\\.\\d{1,3}\\.\\d{1,3}");
        assertThat(first.apply("hostDiscovered").get("hostname").asText()).endsWith(".corp.example.net");
        assertThat(first.apply("portFound").get("port").asInt()).isBetween(1, 65_535);
        assertThat(first.apply("portFound").get("service").asText()).isNotBlank();
        assertThat(first.apply("vulnerabilityFound").get("cve").asText()).matches("CVE-\\d{4}-\\d{4,}");
        assertThat(first.apply("vulnerabilityFound").get("severity").asText()).isIn("low", "medium", "high", "critical");
    }

    @Test
    void discoveredHostsHaveDistinctAddresses() {
        assertThat(events.stream().filter(e -> e.event().equals("hostDiscovered")).map(e -> read(e.data()).get("ip").asText())
                .distinct().count()).isEqualTo(ScanWorkload.HOSTS);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
