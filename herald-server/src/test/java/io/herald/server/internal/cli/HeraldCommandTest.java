package io.herald.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import io.herald.Herald;
import io.herald.HeraldClock;
import io.herald.server.AuthConfig;
import io.herald.server.HeraldServer;
import io.herald.server.internal.auth.TestKeys;
import io.herald.server.internal.auth.TokenClaims;
import io.herald.server.internal.auth.TokenVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class HeraldCommandTest {
    private static final ServeCommand.Lifetime MUST_NOT_START = (herald, server) -> {
        herald.close();
        throw new AssertionError("serve should have failed before starting");
    };

    @TempDir
    Path dir;

    @AfterEach
    void restoreLogLevels() {
        // serve sets levels on the shared logger context; later tests in this JVM expect logback.xml's
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(LogLevels.HERALD_LOGGER).setLevel(null);
    }

    @Test
    void aDamagedHistoryStoreFailsTheStartWithWhatToDoAndNoStackTrace() throws IOException {
        Path data = Files.createDirectories(dir.resolve(".herald/data"));
        Files.writeString(data.resolve("history.mv.db"), "not a store\n".repeat(500));

        Run run = run(Map.of(), MUST_NOT_START, "serve", "--port", "0", "--set", "history.store=disk");

        assertThat(run.code).isEqualTo(ServeCommand.EXIT_START_FAILED);
        assertThat(run.err).startsWith("herald: cannot open the history store " + data.resolve("history.mv.db"))
                .contains("move it away").doesNotContain("\tat ");
    }

    @Test
    void helpListsTheServeCommand() {
        Run run = run(Map.of(), MUST_NOT_START, "--help");

        assertThat(run.code).isZero();
        assertThat(run.out).contains("Usage: herald").contains("serve");
    }

    @Test
    void serveHelpListsFlagsAndEveryEnvironmentVariable() {
        Run run = run(Map.of(), MUST_NOT_START, "serve", "--help");

        assertThat(run.code).isZero();
        assertThat(run.out).contains("--config", "--host", "--port", "--preset", "--log-level", "--set")
                .contains("HERALD_LIMITS_MAX_MESSAGE_SIZE", "HERALD_DEFAULTS_CRITICAL", "HERALD_CONFIG")
                .contains("Presets: standard, large, realtime, unstable-network, lightweight");
    }

    @Test
    void versionPrintsTheVersion() {
        Run run = run(Map.of(), MUST_NOT_START, "--version");

        assertThat(run.code).isZero();
        assertThat(run.out).startsWith("herald ").contains("Java ");
    }

    @Test
    void noCommandIsAUsageError() {
        Run run = run(Map.of(), MUST_NOT_START);

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).contains("herald serve");
    }

    @Test
    void portOutOfRangeExitsWith2NamingTheKeyAndTheFlag() {
        Run run = run(Map.of(), MUST_NOT_START, "serve", "--port", "70000");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).isEqualTo("herald: invalid configuration: port: must be between 0 and 65535, was 70000 (from --port)"
                + System.lineSeparator());
    }

    @Test
    void unknownKeyInTheConfigFileExitsWith2NamingTheKeyAndTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("herald.yml"), "heartbeat:\n  intervall: 5s\n");

        Run run = run(Map.of(), MUST_NOT_START, "serve", "--config", file.toString());

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).startsWith("herald: invalid configuration: unknown key 'heartbeat.intervall' (in " + file + ")")
                .doesNotContain("Exception");
    }

    @Test
    void badDurationInTheEnvironmentExitsWith2NamingTheVariable() {
        Run run = run(Map.of("HERALD_HEARTBEAT_INTERVAL", "5 seconds"), MUST_NOT_START, "serve");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).contains("heartbeat.interval: '5 seconds' is not a duration")
                .contains("(from HERALD_HEARTBEAT_INTERVAL)");
    }

    @Test
    void portInUseExitsWith1() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Run run = run(Map.of(), MUST_NOT_START, "serve", "--port", String.valueOf(taken.getLocalPort()));

            assertThat(run.code).isEqualTo(1);
            assertThat(run.err).startsWith("herald: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void servesWithTheLoadedConfigurationUntilClosed() {
        AtomicReference<HttpResponse<String>> health = new AtomicReference<>();
        AtomicReference<HeraldServer> started = new AtomicReference<>();
        ServeCommand.Lifetime checkHealthThenClose = (herald, server) -> {
            try {
                started.set(server);
                health.set(get("http://127.0.0.1:" + server.port() + "/health"));
            } finally {
                herald.close();
            }
        };

        Run run = run(Map.of("HERALD_PRESET", "realtime"), checkHealthThenClose,
                "serve", "--port", "0", "--set", "heartbeat.interval=2s", "--set", "drainTimeout=1s",
                "--set", "namespaces.scan.throttle.rate=3", "--log-level", "warn");

        assertThat(run.code).isZero();
        assertThat(run.err).isEmpty();
        assertThat(health.get().statusCode()).isEqualTo(200);
        assertThat(health.get().body()).contains("\"status\":\"ok\"");
        assertThat(started.get().config().heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(started.get().isDraining()).isTrue();
    }

    @Test
    void lifetimeGetsAHeraldWithTheNamespaceOptions() {
        AtomicReference<Herald> started = new AtomicReference<>();

        Run run = run(Map.of(), (herald, server) -> {
            started.set(herald);
            herald.close();
        }, "serve", "--port", "0", "--preset", "large", "--set", "namespaces.scan.throttle.rate=3");

        assertThat(run.code).isZero();
        assertThat(started.get().config().optionsFor("scan:1").throttleRate()).isEqualTo(3);
        assertThat(started.get().config().optionsFor("scan:1").batchMaxSize()).isEqualTo(100);
        assertThat(started.get().isClosed()).isTrue();
    }

    @Test
    void tokenMintsATokenThatTheConfiguredServerAccepts() {
        Map<String, String> env = Map.of("HERALD_AUTH_JWT_SECRET", TestKeys.SECRET, "HERALD_AUTH_JWT_AUDIENCE", "herald");

        Run run = run(env, MUST_NOT_START, "token", "--sub", "alice", "--channels", "scan:*,user:alice",
                "--publish", "scan:*", "--ttl", "2h", "--admin");

        assertThat(run.code).isZero();
        assertThat(run.err).isEmpty();
        assertThat(run.out.lines()).hasSize(1);
        AuthConfig auth = new ConfigLoader(env).load().server().auth();
        TokenClaims claims = TokenVerifier.create(auth, HeraldClock.SYSTEM).verify(run.out.trim());
        assertThat(claims.subject()).isEqualTo("alice");
        assertThat(claims.subscribe().patterns()).containsExactly("scan:*", "user:alice");
        assertThat(claims.publish().patterns()).containsExactly("scan:*");
        assertThat(claims.admin()).isTrue();
        assertThat(claims.expiresAt())
                .isBetween(Instant.now().plus(Duration.ofMinutes(119)), Instant.now().plus(Duration.ofHours(2)));
    }

    @Test
    void tokenWithoutASecretExplainsHowToSetOne() {
        Run run = run(Map.of(), MUST_NOT_START, "token", "--sub", "alice");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.out).isEmpty();
        assertThat(run.err).startsWith("herald: no token secret is configured, and there are no development credentials in "
                        + dir.resolve(".herald/dev-credentials"))
                .contains("Start 'herald serve' once")
                .contains("export HERALD_AUTH_JWT_SECRET=$(openssl rand -hex 32)");
    }

    @Test
    void tokenForAPublicKeyServerSaysThatAPrivateKeyIsNeeded() {
        Run run = run(Map.of("HERALD_AUTH_JWT_PUBLIC_KEY", TestKeys.pem(TestKeys.RSA.getPublic())), MUST_NOT_START,
                "token", "--sub", "alice");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.out).isEmpty();
        assertThat(run.err).startsWith("herald: this server verifies RS256 tokens with a public key")
                .contains("private key");
    }

    @Test
    void tokenRefusesBadArguments() {
        Map<String, String> env = Map.of("HERALD_AUTH_JWT_SECRET", TestKeys.SECRET);

        assertThat(run(env, MUST_NOT_START, "token", "--sub", "alice", "--channels", "scan:?").err)
                .startsWith("herald: 'scan:?' (channels) is not a channel pattern");
        assertThat(run(env, MUST_NOT_START, "token", "--sub", "alice", "--ttl", "forever").err)
                .startsWith("herald: --ttl: 'forever' is not a duration");
        assertThat(run(env, MUST_NOT_START, "token", "--sub", "alice", "--ttl", "9000h").err)
                .startsWith("herald: --ttl must be between 1ms and 8760h");
        Run noSub = run(env, MUST_NOT_START, "token");
        assertThat(noSub.code).isEqualTo(2);
        assertThat(noSub.err).contains("--sub");
    }

    @Test
    void tokenWithAnInvalidConfigurationNamesTheKey() {
        Run run = run(Map.of("HERALD_AUTH_JWT_SECRET", "short"), MUST_NOT_START, "token", "--sub", "alice");

        assertThat(run.code).isEqualTo(2);
        assertThat(run.err).startsWith("herald: invalid configuration: auth.jwt.secret: must be at least 32 bytes")
                .doesNotContain("short (");
    }

    @Test
    void helpListsTheTokenCommandAndServeHelpTheAuthKeys() {
        assertThat(run(Map.of(), MUST_NOT_START, "--help").out).contains("token");
        assertThat(run(Map.of(), MUST_NOT_START, "serve", "--help").out)
                .contains("HERALD_AUTH_JWT_SECRET", "HERALD_AUTH_API_KEYS_ADMIN", "HERALD_ALLOWED_ORIGINS");
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Run run(Map<String, String> env, ServeCommand.Lifetime lifetime, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HeraldCommand.execute(args, env, new PrintWriter(out), new PrintWriter(err), lifetime, dir);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
    }
}
