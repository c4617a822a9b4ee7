package io.herald.examples.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.examples.support.BrowserScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example in Chromium, started as its README starts it, with free ports and a snapshot every 500 ms. */
class MetricsDashboardBrowserTest {
    @BeforeAll
    static void browser() {
        BrowserScript.requireBrowser();
    }

    @Test
    void aPageGetsAPointPerIntervalWhileItWatchesAndNothingIsPublishedWhileNobodyDoes() {
        try (MetricsDashboardExample example = MetricsDashboardExample.start("--port", "0", "--herald-port", "0", "--interval", "0.5")) {
            BrowserScript.run(Path.of("src/test/e2e/metrics-dashboard.mjs"),
                    List.of(example.pageUrl(), BrowserScript.screenshot().toString()), Duration.ofMinutes(3));
            assertThat(example.publisher().published()).isPositive().isLessThan(example.publisher().ticks() + 3);
        }
    }
}
