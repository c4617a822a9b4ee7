package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code herald serve} in a JVM of its own (the test classpath, {@code HeraldCommand}'s main), as an
 * operator runs it: configured by flags and {@code HERALD_*} variables, stopped by a signal. Its
 * port is read from its log ({@code Herald listening on http://127.0.0.1:<port>}); its output is
 * kept for the failure message. Anonymous clients are allowed and {@link #ADMIN_KEY} publishes.
 */
final class HeraldProcess implements AutoCloseable {
    static final String ADMIN_KEY = "restart-admin-key-0123456789abcdef";
    private static final Pattern LISTENING = Pattern.compile("Herald listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    private HeraldProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readOutput, "herald-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code herald serve} in {@code workDir} with {@code sets} ({@code key=value}) and waits until it listens. */
    static HeraldProcess start(Path workDir, String... sets) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.herald.server.internal.cli.HeraldCommand",
                "serve", "--host", "127.0.0.1", "--port", "0", "--log-level", "info"));
        for (String set : sets) {
            command.add("--set");
            command.add(set);
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("HERALD_"));
        pb.environment().put("HERALD_AUTH_ANONYMOUS", "true");
        pb.environment().put("HERALD_AUTH_API_KEYS_ADMIN", ADMIN_KEY);
        HeraldProcess h;
        try {
            h = new HeraldProcess(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            h.port.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.close();
            throw new AssertionError("herald serve did not start listening: " + e + "\n" + h.output(), e);
        }
        return h;
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (output) {
                    output.add(line);
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            // the process went; what it printed is kept
        } finally {
            port.completeExceptionally(new IllegalStateException("herald serve exited"));
        }
    }

    int port() {
        return port.join();
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    TestClient client(String path) {
        TestClient c = TestClient.connect(port(), path);
        c.expect("welcome");
        return c;
    }

    /** Publishes over HTTP and returns the answer ({@code channel}, {@code offset}, {@code epoch}, {@code ts}), failing unless 200. */
    JsonNode publish(String messageJson) {
        return json("publish " + messageJson, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/api/publish"))
                .header("X-Api-Key", ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(messageJson)).build());
    }

    /** {@code GET path} with the admin key; the JSON answer, failing unless 200. */
    JsonNode get(String path) {
        return json("GET " + path, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .header("X-Api-Key", ADMIN_KEY).GET().build());
    }

    /** Sends {@code request}; its JSON answer, failing (as {@code what}) unless 200. */
    private static JsonNode json(String what, HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("%s: %s", what, r.body()).isEqualTo(200);
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGTERM, as {@code kill} or a service manager stops it: a graceful shutdown. Returns the exit status. */
    int terminate() {
        process.destroy();
        return awaitExit();
    }

    /** SIGKILL ({@code kill -9}): no shutdown hook, no last commit. Returns the exit status. */
    int kill() {
        process.destroyForcibly();
        return awaitExit();
    }

    private int awaitExit() {
        try {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("herald serve exited\n%s", output()).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
