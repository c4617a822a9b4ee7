package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End-to-end scenarios in a real browser (Debian's Chromium driven by playwright-core, see
 * {@code e2e/README.md}) against a real Herald started here. Each scenario is a script in
 * {@code e2e/} that exits 0 when it holds.
 */
class BrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path E2E = Path.of("..", "e2e").toAbsolutePath().normalize();

    @BeforeAll
    static void browserAndPackages() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            if (System.getenv("CI") != null) {
                fail("Chromium is missing at " + CHROMIUM + ": .ci/run installs it (apt-get install -y chromium)");
            }
            Assumptions.abort("Chromium is not installed; the browser tests need it: apt-get install -y chromium (.ci/run does)");
        }
        if (!Files.isDirectory(E2E.resolve("node_modules/playwright-core"))) {
            Run npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
            assertThat(npm.exit).as("npm ci in %s:%n%s", E2E, npm.output).isZero();
        }
    }

    /** Runs {@code e2e/<script>} with the server's base URL and the admin API key; fails with its output unless it exits 0. */
    private static void scenario(TestServer server, String script) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", script, "http://127.0.0.1:" + server.port(), TestServer.ADMIN_KEY));
        Run r = run(command, 120);
        System.out.println(script + ": " + r.output.strip());
        assertThat(r.exit).as("%s:%n%s", script, r.output).isZero();
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(E2E.toFile()).redirectErrorStream(true).start();
        // the output is small; read it to the end (it ends when the process does)
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(-1, "timed out after " + timeoutSeconds + " s\n" + new String(out, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void anEventSourcePageResumesOnItsOwnAfterTheConnectionIsCutAndHasEveryMessageOnce() throws Exception {
        try (TestServer server = TestServer.start()) {
            scenario(server, "sse-resume.mjs");
        }
    }
}
