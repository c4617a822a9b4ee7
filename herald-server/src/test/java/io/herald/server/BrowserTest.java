package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.herald.Engines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end scenarios in a real browser (Debian's Chromium driven by playwright-core, see
 * {@code e2e/README.md}) against a real Herald started here. Each scenario is a script in
 * {@code e2e/} that exits 0 when it holds; a script that needs the server changed (restarted) asks
 * with a line {@code @command} on its output, and is answered on its input once it is done.
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
            Run npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300, c -> "");
            assertThat(npm.exit).as("npm ci in %s:%n%s", E2E, npm.output).isZero();
        }
    }

    /**
     * Runs {@code e2e/<script>} with the server's base URL, the admin API key and {@code args};
     * answers its {@code @command} lines with {@code control}; fails with its output unless it exits 0.
     */
    private static void scenario(TestServer server, String script, List<String> args, UnaryOperator<String> control)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("node", script, "http://127.0.0.1:" + server.port(), TestServer.ADMIN_KEY));
        command.addAll(args);
        Run r = run(command, 150, control);
        System.out.println(script + ": " + r.output.strip());
        assertThat(r.exit).as("%s:%n%s", script, r.output).isZero();
    }

    private static void scenario(TestServer server, String script) throws Exception {
        scenario(server, script, List.of(), c -> {
            throw new AssertionError("unexpected @" + c);
        });
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command, long timeoutSeconds, UnaryOperator<String> control)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(E2E.toFile()).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        // the script ends on its own deadline; its output ends when it does
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                Writer answers = p.outputWriter(StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.append(line).append('\n');
                if (line.startsWith("@")) {
                    String answer = control.apply(line.substring(1));
                    out.append("(").append(line.substring(1)).append(": ").append(answer).append(")\n");
                    answers.write(answer + "\n");
                    answers.flush();
                }
            }
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(-1, "timed out after " + timeoutSeconds + " s\n" + out);
        }
        return new Run(p.exitValue(), out.toString());
    }

    @Test
    void anEventSourcePageResumesOnItsOwnAfterTheConnectionIsCutAndHasEveryMessageOnce() throws Exception {
        try (TestServer server = TestServer.start()) {
            scenario(server, "sse-resume.mjs");
        }
    }

    @Test
    void aPageUsingHeraldJsShowsEveryMessageOnceAcrossAServerRestart(@TempDir Path data) throws Exception {
        AtomicReference<TestServer> server = new AtomicReference<>(TestServer.withEngine(
                Engines.disk(data, Duration.ofMillis(10))));
        int port = server.get().port();
        try {
            scenario(server.get(), "client-restart.mjs", List.of(), command -> {
                assertThat(command).isEqualTo("restart");
                server.get().close();
                server.set(TestServer.withEngine(Engines.disk(data, Duration.ofMillis(10)), b -> b.port(port)));
                return "restarted on port " + port;
            });
        } finally {
            server.get().close();
        }
    }

    @Test
    void aPageCarriesOnWithAFreshTokenFromGetTokenWhenItsTokenExpires() throws Exception {
        try (TestServer server = TestServer.start()) {
            scenario(server, "client-token.mjs", List.of(TestServer.SECRET), c -> {
                throw new AssertionError("unexpected @" + c);
            });
        }
    }

    @Test
    void aPageBehindAProxyThatBlocksWebSocketsFallsBackToSseAndResumesAfterACut() throws Exception {
        try (TestServer server = TestServer.start()) {
            scenario(server, "client-sse-fallback.mjs");
        }
    }

    /**
     * The dashboard at {@code /}: its figures and charts move while messages are published, its
     * channel search finds, and its Disconnect button closes a real connection. Its screenshot at
     * 1280×800 goes to {@code herald-server/target/dashboard.png}, or, with {@code HERALD_SCREENSHOTS=1}
     * in the environment, to {@code docs/dashboard.png}, the README's picture.
     */
    @Test
    void theDashboardShowsLiveFiguresWhileMessagesArePublishedAndDisconnectsAConnection() throws Exception {
        Path screenshot = System.getenv("HERALD_SCREENSHOTS") != null
                ? E2E.resolveSibling("docs").resolve("dashboard.png")
                : Path.of("target", "dashboard.png").toAbsolutePath();
        try (TestServer server = TestServer.start()) {
            scenario(server, "dashboard.mjs", List.of(screenshot.toString()), c -> {
                throw new AssertionError("unexpected @" + c);
            });
        }
        assertThat(screenshot).isNotEmptyFile();
    }

    @Test
    void theReadmeQuickStartPageShowsMessagesAsWritten() throws Exception {
        try (TestServer server = TestServer.start()) {
            String token = TestServer.token("dev", List.of("demo:*"), List.of(), false, Duration.ofHours(1));
            scenario(server, "readme-page.mjs", List.of(token), c -> {
                throw new AssertionError("unexpected @" + c);
            });
        }
    }
}
