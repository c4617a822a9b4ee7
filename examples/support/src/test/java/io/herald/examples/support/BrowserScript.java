package io.herald.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs an example's browser scenario: a Node.js script that drives Debian's Chromium with
 * playwright-core, as the repository's {@code e2e/} scenarios do (it imports {@code e2e/lib.mjs},
 * so playwright comes from {@code e2e/node_modules}). The script exits 0 when its scenario holds.
 * A line {@code @command} on its output asks the test for something (answered on its input);
 * a line {@code RESULT <json>} is a measurement the test may read from {@link Run#results()}.
 */
public final class BrowserScript {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private BrowserScript() {
    }

    /** What a script printed, and the measurements among it. */
    public record Run(String output, List<String> results) {
    }

    /** The repository's root, found from the working directory (a module's). */
    public static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("e2e/lib.mjs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no e2e/lib.mjs above " + Path.of("").toAbsolutePath());
    }

    /**
     * Skips the calling test when Chromium is missing (fails under CI, where {@code .ci/run}
     * installs it), and installs playwright-core into {@code e2e/} from its lockfile when missing.
     */
    public static void requireBrowser() {
        if (!Files.isExecutable(CHROMIUM)) {
            if (System.getenv("CI") != null) {
                fail("Chromium is missing at " + CHROMIUM + ": .ci/run installs it (apt-get install -y chromium)");
            }
            Assumptions.abort("Chromium is not installed; the browser tests need it: apt-get install -y chromium (.ci/run does)");
        }
        Path e2e = repository().resolve("e2e");
        if (!Files.isDirectory(e2e.resolve("node_modules/playwright-core"))) {
            Run npm = exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), e2e, Duration.ofMinutes(5),
                    c -> "");
            assertThat(npm.output()).as("npm ci in %s", e2e).doesNotContain("npm ERR!");
        }
    }

    /**
     * Runs {@code node script args…} in the script's directory, answers its {@code @command} lines
     * with {@code control}, and fails with its output unless it exits 0 within {@code timeout}.
     */
    public static Run run(Path script, List<String> args, UnaryOperator<String> control, Duration timeout) {
        List<String> command = new ArrayList<>(List.of("node", script.getFileName().toString()));
        command.addAll(args);
        Run r = exec(command, script.toAbsolutePath().getParent(), timeout, control);
        System.out.println(script.getFileName() + ":\n" + r.output().strip());
        return r;
    }

    /** {@link #run} for a script that asks for nothing. */
    public static Run run(Path script, List<String> args, Duration timeout) {
        return run(script, args, c -> {
            throw new AssertionError("unexpected @" + c);
        }, timeout);
    }

    private static Run exec(List<String> command, Path dir, Duration timeout, UnaryOperator<String> control) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            StringBuilder out = new StringBuilder();
            List<String> results = new ArrayList<>();
            // the script ends on its own deadline (lib.mjs deadline()); its output ends when it does
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    Writer answers = p.outputWriter(StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    out.append(line).append('\n');
                    if (line.startsWith("RESULT ")) {
                        results.add(line.substring("RESULT ".length()));
                    } else if (line.startsWith("@")) {
                        String answer = control.apply(line.substring(1));
                        out.append("(").append(line.substring(1)).append(": ").append(answer).append(")\n");
                        answers.write(answer + "\n");
                        answers.flush();
                    }
                }
            }
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(command + " timed out after " + timeout + ":\n" + out);
            }
            assertThat(p.exitValue()).as("%s:%n%s", command, out).isZero();
            return new Run(out.toString(), List.copyOf(results));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }
}
