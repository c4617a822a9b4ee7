package io.herald.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.HeraldClock;
import io.herald.Json;
import io.herald.server.JwtAlgorithm;
import io.herald.server.AuthConfig;
import io.herald.server.LogCapture;
import io.herald.server.internal.auth.TestKeys;
import io.herald.server.internal.auth.TokenClaims;
import io.herald.server.internal.auth.TokenVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code herald serve} with no authentication configured: the development credentials it creates,
 * reuses and ignores, and the {@code wscat} and {@code curl} lines it prints, tried against the
 * running server.
 */
class DevCredentialsTest {
    private static final Pattern WSCAT = Pattern.compile("^  wscat -c \"(ws://[^\"]+)\"$", Pattern.MULTILINE);
    private static final Pattern CURL =
            Pattern.compile("^  curl -H \"X-Api-Key: ([^\"]+)\" -d '([^']+)' (\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @AfterEach
    void restoreLogLevels() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(LogLevels.HERALD_LOGGER).setLevel(null);
    }

    @Test
    void firstStartCreatesOwnerOnlyCredentialsAndLaterStartsReuseThem() throws IOException {
        Path file = dir.resolve(".herald/dev-credentials");

        Served first = serve(Map.of());

        assertThat(first.run.code).isZero();
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(dir.resolve(".herald/.gitignore")).content().contains("*");
        String written = Files.readString(file);
        DevCredentials credentials = DevCredentials.read(file).orElseThrow();
        assertThat(credentials.secret()).hasSize(64).matches("[0-9a-f]+");
        assertThat(credentials.adminKey()).hasSize(64).matches("[0-9a-f]+").isNotEqualTo(credentials.secret());
        assertThat(written).contains(credentials.secret(), credentials.adminKey());
        assertThat(first.auth.adminApiKeys()).containsExactly(credentials.adminKey());
        assertThat(first.auth.jwtAlgorithm()).contains(JwtAlgorithm.HS256);
        assertThat(first.logged).anyMatch(m -> m.startsWith("no authentication configured: created the development credentials in " + file));
        assertThat(first.run.out).doesNotContain(credentials.secret());

        Served second = serve(Map.of());

        assertThat(second.run.code).isZero();
        assertThat(Files.readString(file)).isEqualTo(written);
        assertThat(second.auth.adminApiKeys()).containsExactly(credentials.adminKey());
        assertThat(second.logged).anyMatch(m -> m.startsWith("no authentication configured: using the development credentials in " + file));
        assertThat(second.run.out).contains("X-Api-Key: " + credentials.adminKey());
    }

    @Test
    void authFromTheEnvironmentAConfigFileOrAFlagLeavesTheCredentialsUnused() throws IOException {
        Path file = dir.resolve(".herald/dev-credentials");
        Path config = Files.writeString(dir.resolve("herald.yml"), "auth:\n  apiKeys:\n    admin: [configured-admin-key-0123]\n");

        Served fromEnvironment = serve(Map.of("HERALD_AUTH_JWT_SECRET", TestKeys.SECRET));
        Served fromFile = serve(Map.of(), "--config", config.toString());
        Served fromFlag = serve(Map.of(), "--set", "auth.anonymous=false");

        assertThat(file).doesNotExist();
        for (Served s : List.of(fromEnvironment, fromFile, fromFlag)) {
            assertThat(s.run.code).isZero();
            assertThat(s.run.out).doesNotContain("wscat", "X-Api-Key");
        }
        assertThat(fromEnvironment.logged)
                .contains("authentication configured (auth.jwt.secret from HERALD_AUTH_JWT_SECRET); development credentials are not used");
        assertThat(fromFile.auth.adminApiKeys()).containsExactly("configured-admin-key-0123");
        assertThat(fromFile.auth.jwtAlgorithm()).isEmpty();
        assertThat(fromFlag.auth.jwtAlgorithm()).isEmpty();
        assertThat(fromFlag.auth.adminApiKeys()).isEmpty();

        serve(Map.of());
        DevCredentials created = DevCredentials.read(file).orElseThrow();
        Served afterwards = serve(Map.of(), "--config", config.toString());

        assertThat(afterwards.auth.adminApiKeys()).containsExactly("configured-admin-key-0123").doesNotContain(created.adminKey());
    }

    @Test
    void aHostOtherMachinesCanReachGetsNoCredentialsAndTheLogSaysWhy() {
        Served served = serve(Map.of(), "--host", "0.0.0.0");

        assertThat(served.run.code).isZero();
        assertThat(dir.resolve(".herald")).doesNotExist();
        assertThat(served.auth.jwtAlgorithm()).isEmpty();
        assertThat(served.auth.adminApiKeys()).isEmpty();
        assertThat(served.run.out).doesNotContain("wscat");
        assertThat(served.warnings).anyMatch(m -> m.startsWith("no authentication configured, and 0.0.0.0 is not a loopback address")
                && m.contains("nobody can connect or publish"));
    }

    @Test
    void thePrintedTokenReceivesWhatThePrintedCurlLinePublishes() {
        AtomicReference<JsonNode> received = new AtomicReference<>();
        AtomicReference<HttpResponse<String>> published = new AtomicReference<>();
        StringWriter out = new StringWriter();
        try (LogCapture shutdownLog = LogCapture.of("io.herald.server.internal.Shutdown")) {
            Run run = run(Map.of(), out, (herald, server) -> {
                try {
                    Matcher wscat = find(WSCAT, out.toString());
                    Matcher curl = find(CURL, out.toString());
                    assertThat(wscat.group(1)).startsWith("ws://127.0.0.1:" + server.port() + "/ws/demo:1?token=");
                    assertThat(curl.group(3)).isEqualTo("127.0.0.1:" + server.port() + "/api/publish");

                    Queue<String> frames = new ConcurrentLinkedQueue<>();
                    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                            .buildAsync(URI.create(wscat.group(1)), recorder(frames)).get(10, TimeUnit.SECONDS);
                    await().until(() -> frames.stream().anyMatch(f -> f.contains("\"type\":\"subscribed\"")));

                    published.set(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + curl.group(3)))
                            .header("X-Api-Key", curl.group(1))
                            .POST(HttpRequest.BodyPublishers.ofString(curl.group(2))).build(), HttpResponse.BodyHandlers.ofString()));
                    await().until(() -> frames.stream().anyMatch(f -> f.contains("\"event\":\"hello\"")));
                    received.set(frames.stream().filter(f -> f.contains("\"event\":\"hello\"")).map(DevCredentialsTest::parse)
                            .findFirst().orElseThrow());
                    ws.abort();
                } catch (Exception e) {
                    throw new AssertionError(e);
                } finally {
                    herald.close();
                }
            }, "serve", "--port", "0", "--set", "drainTimeout=2s");

            assertThat(run.code).isZero();
            assertThat(shutdownLog.events()).extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.startsWith("shutdown complete in"))
                    .noneMatch(m -> m.contains("cut short"));
        }
        assertThat(published.get().statusCode()).isEqualTo(200);
        assertThat(received.get().path("channel").asText()).isEqualTo("demo:1");
        assertThat(out.toString()).contains("expires in 1 h", "./herald token --sub dev --channels 'demo:*'",
                "Dashboard (enter the admin key): http://127.0.0.1:");
    }

    @Test
    void thePrintedTokenIsForDemoChannelsAndExpiresInAnHour() {
        StringWriter out = new StringWriter();
        AtomicReference<AuthConfig> auth = new AtomicReference<>();
        run(Map.of(), out, (herald, server) -> {
            auth.set(server.config().auth());
            herald.close();
        }, "serve", "--port", "0");

        String url = find(WSCAT, out.toString()).group(1);
        TokenClaims claims = TokenVerifier.create(auth.get(), HeraldClock.SYSTEM).verify(url.substring(url.indexOf("?token=") + 7));
        assertThat(claims.subject()).isEqualTo("dev");
        assertThat(claims.subscribe().patterns()).containsExactly("demo:*");
        assertThat(claims.admin()).isFalse();
        assertThat(claims.expiresAt()).isBetween(Instant.now().plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofHours(1)));
    }

    @Test
    void tokenSignsWithTheDevelopmentSecretOnlyWhenNothingIsConfigured() {
        Served served = serve(Map.of());

        Run dev = run(Map.of(), new StringWriter(), MUST_NOT_START, "token", "--sub", "alice", "--channels", "demo:*");

        assertThat(dev.code).isZero();
        assertThat(dev.err).isEqualTo("herald: no authentication configured; signed with the development secret in "
                + dir.resolve(".herald/dev-credentials") + System.lineSeparator());
        assertThat(TokenVerifier.create(served.auth, HeraldClock.SYSTEM).verify(dev.out.trim()).subject()).isEqualTo("alice");

        Map<String, String> configured = Map.of("HERALD_AUTH_JWT_SECRET", TestKeys.SECRET);
        Run own = run(configured, new StringWriter(), MUST_NOT_START, "token", "--sub", "alice");

        assertThat(own.code).isZero();
        assertThat(own.err).isEmpty();
        AuthConfig configuredAuth = new ConfigLoader(configured).load().server().auth();
        assertThat(TokenVerifier.create(configuredAuth, HeraldClock.SYSTEM).verify(own.out.trim()).subject()).isEqualTo("alice");
    }

    @Test
    void aDamagedCredentialsFileStopsTheStartSayingHowToFixIt() throws IOException {
        Files.createDirectories(dir.resolve(".herald"));
        Files.writeString(dir.resolve(".herald/dev-credentials"), "auth.jwt.secret=short\n");

        Run run = run(Map.of(), new StringWriter(), MUST_NOT_START, "serve", "--port", "0");

        assertThat(run.code).isEqualTo(1);
        assertThat(run.err).contains("does not hold valid development credentials").contains("delete it")
                .doesNotContain("short");
    }

    private static final ServeCommand.Lifetime MUST_NOT_START = (herald, server) -> {
        herald.close();
        throw new AssertionError("the command should not have started a server");
    };

    /** Runs {@code serve} on a free port and closes it at once, recording its auth and its log. */
    private Served serve(Map<String, String> env, String... flags) {
        AtomicReference<AuthConfig> auth = new AtomicReference<>();
        List<String> args = new java.util.ArrayList<>(List.of("serve", "--port", "0"));
        args.addAll(List.of(flags));
        try (LogCapture log = LogCapture.of("io.herald.server.internal.cli")) {
            Run run = run(env, new StringWriter(), (herald, server) -> {
                auth.set(server.config().auth());
                herald.close();
            }, args.toArray(String[]::new));
            List<ILoggingEvent> events = log.events();
            return new Served(run, auth.get(),
                    events.stream().map(ILoggingEvent::getFormattedMessage).toList(),
                    events.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList());
        }
    }

    private Run run(Map<String, String> env, StringWriter out, ServeCommand.Lifetime lifetime, String... args) {
        StringWriter err = new StringWriter();
        int code = HeraldCommand.execute(args, env, new PrintWriter(out), new PrintWriter(err), lifetime, dir);
        return new Run(code, out.toString(), err.toString());
    }

    private static Matcher find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("a line matching %s in:%n%s", pattern, text).isTrue();
        return m;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static WebSocket.Listener recorder(Queue<String> frames) {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.add(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }
        };
    }

    private record Run(int code, String out, String err) {
    }

    private record Served(Run run, AuthConfig auth, List<String> logged, List<String> warnings) {
    }
}
