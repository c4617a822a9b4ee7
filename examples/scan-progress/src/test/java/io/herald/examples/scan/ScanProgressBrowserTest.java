package io.herald.examples.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.examples.support.BrowserScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example in Chromium, started as its README starts it (with free ports, no scan of its own and
 * scans ten times faster than real time; {@code -Dscan.speed=1} for real time).
 */
class ScanProgressBrowserTest {
    private static final Path SCRIPT = Path.of("src/test/e2e/scan-progress.mjs");
    private static final String SPEED = System.getProperty("scan.speed", "10");

    @BeforeAll
    static void browser() {
        BrowserScript.requireBrowser();
    }

    private static ScanProgressExample example(String preset) {
        return ScanProgressExample.start("--port", "0", "--herald-port", "0", "--scans", "0", "--speed", SPEED, "--preset", preset);
    }

    @Test
    void aPageReloadedMidScanEndsWithEveryResultOnceAndTheOverviewAddsUpEveryScan() {
        try (ScanProgressExample example = example("standard")) {
            BrowserScript.run(SCRIPT, List.of(example.pageUrl(), "reload", Path.of("screenshot.png").toAbsolutePath().toString()),
                    Duration.ofMinutes(3));
            assertThat(example.scans().get(1)).hasValueSatisfying(s -> assertThat(s.completed()).isTrue());
        }
    }

    /**
     * Chromium's main-thread time over a whole scan, with Herald passing every message through in its
     * own frame and with its defaults; written to {@code target/main-thread-time.md} (a measurement, not
     * asserted: {@code docs/BENCHMARKS.md} reports the real-time figures).
     */
    @Test
    void measuresThePagesMainThreadTimeOverAWholeScanWithPassthroughAndWithTheDefaults() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> results = new ArrayList<>();
        for (String preset : List.of("passthrough", "standard")) {
            try (ScanProgressExample example = example(preset)) {
                BrowserScript.Run run = BrowserScript.run(SCRIPT, List.of(example.pageUrl(), "measure", preset), Duration.ofMinutes(5));
                assertThat(run.results()).hasSize(1);
                results.add(json.readTree(run.results().get(0)));
            }
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "Scan at speed %s (`-Dscan.speed`), Chromium's main-thread CPU time over the whole scan:%n%n"
                + "| Herald preset | script ms | layout ms | style ms | main thread ms | tasks ms | messages | draws | layouts |%n"
                + "|---|--:|--:|--:|--:|--:|--:|--:|--:|%n", SPEED));
        for (JsonNode r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | **%d** | %d | %d | %d | %d |%n", r.get("label").asText(),
                    r.get("scriptMs").asLong(), r.get("layoutMs").asLong(), r.get("styleMs").asLong(), r.get("mainThreadMs").asLong(),
                    r.get("taskMs").asLong(), r.get("messages").asLong(), r.get("renders").asLong(), r.get("layouts").asLong()));
        }
        double less = 1 - results.get(1).get("mainThreadMs").asDouble() / results.get(0).get("mainThreadMs").asDouble();
        md.append(String.format(Locale.ROOT, "%nWith the defaults: %.0f %% less main-thread time than with passthrough.%n", 100 * less));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/main-thread-time.md"), md);
        System.out.println(md);
        // the defaults deliver every result in fewer frames, so the page draws less often
        assertThat(results.get(1).get("renders").asLong()).isLessThan(results.get(0).get("renders").asLong());
    }
}
