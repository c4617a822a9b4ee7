package io.herald.examples.settings;

import io.herald.examples.support.BrowserScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example in Chromium, started as its README starts it (with free ports). */
class SettingsSyncBrowserTest {
    private static final Path SCRIPT = Path.of("src/test/e2e/settings-sync.mjs");

    @BeforeAll
    static void browser() {
        BrowserScript.requireBrowser();
    }

    @Test
    void everyTabFollowsChangesAndPresetsAndALateTabShowsTheCurrentValuesAtOnce() {
        try (SettingsSyncExample example = SettingsSyncExample.start("--port", "0", "--herald-port", "0")) {
            BrowserScript.run(SCRIPT, List.of(example.pageUrl(), BrowserScript.screenshot().toString()),
                    Duration.ofMinutes(2));
        }
    }
}
