package io.herald.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.herald.server.AuthConfig;
import io.herald.server.JwtAlgorithm;
import io.herald.server.ServerConfig;
import io.herald.server.internal.auth.TestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    private static final String SECRET = TestKeys.SECRET;
    private static final String EXAMPLE = """
            host: 0.0.0.0
            port: 9090
            preset: standard
            ioThreads: 4
            heartbeat: {interval: 2s, timeout: 1m}
            drainTimeout: 15s
            limits: {maxMessageSize: 32KiB, maxRequestSize: 2MiB, maxConnections: 500}
            compression: {enabled: false, threshold: 2KiB}
            shutdown: {reconnectAfter: 250ms, reconnectJitter: 1s}
            log:
              level: warn
              levels: {io.herald.server: debug, io.netty: error}
            defaults:
              batch: {interval: 150ms, maxSize: 40}
              throttle: {rate: 8}
              critical: [error]
              coalesce: []
              completeOn: [done]
              cleanupDelay: 10m
              history: {size: 200, ttl: 1h}
              retained: true
              outboundBuffer: 2MiB
            namespaces:
              scan:
                preset: large
                critical: [scanStarted, phaseStarted, scanCompleted, error]
                coalesce: [progress, stats]
                completeOn: [scanCompleted]
            """;

    @TempDir
    Path dir;

    @Test
    void nothingConfiguredGivesTheBuiltInDefaults() {
        LoadedConfig c = new ConfigLoader(Map.of()).load();

        assertThat(c.server()).hasToString(ServerConfig.newBuilder().build().toString());
        assertThat(c.core().defaults()).isEqualTo(NamespaceOptions.DEFAULTS);
        assertThat(c.core().namespaces()).isEmpty();
        assertThat(c.logLevel()).isEqualTo("info");
        assertThat(c.logLevels()).isEmpty();
        assertThat(c.configFile()).isEmpty();
    }

    @Test
    void readsEveryKeyOfTheConfigFile() throws IOException {
        Path file = write("herald.yml", EXAMPLE);

        LoadedConfig c = new ConfigLoader(Map.of()).configFile(file).load();

        ServerConfig s = c.server();
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(9090);
        assertThat(s.ioThreads()).isEqualTo(4);
        assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.heartbeatTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.maxMessageSize()).isEqualTo(32 * 1024);
        assertThat(s.maxRequestSize()).isEqualTo(2 * 1024 * 1024);
        assertThat(s.maxConnections()).isEqualTo(500);
        assertThat(s.compression()).isFalse();
        assertThat(s.compressionThreshold()).isEqualTo(2048);
        assertThat(s.reconnectAfter()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.reconnectJitter()).isEqualTo(Duration.ofSeconds(1));

        NamespaceOptions d = c.core().defaults();
        assertThat(d.batchInterval()).isEqualTo(Duration.ofMillis(150));
        assertThat(d.batchMaxSize()).isEqualTo(40);
        assertThat(d.throttleRate()).isEqualTo(8);
        assertThat(d.critical()).containsExactly("error");
        assertThat(d.coalesce()).isEmpty();
        assertThat(d.completeOn()).containsExactly("done");
        assertThat(d.cleanupDelay()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.historySize()).isEqualTo(200);
        assertThat(d.historyTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(d.retained()).isTrue();
        assertThat(d.outboundBufferBytes()).isEqualTo(2 * 1024 * 1024);

        assertThat(c.logLevel()).isEqualTo("warn");
        assertThat(c.logLevels()).containsExactlyInAnyOrderEntriesOf(Map.of("io.herald.server", "debug", "io.netty", "error"));
        assertThat(c.configFile()).contains(file);
    }

    @Test
    void namespaceStartsFromTheResolvedDefaultsThenItsPresetThenItsKeys() throws IOException {
        LoadedConfig c = new ConfigLoader(Map.of()).configFile(write("herald.yml", EXAMPLE)).load();

        NamespaceOptions scan = c.core().namespaces().get("scan");
        // from the large preset
        assertThat(scan.throttleRate()).isEqualTo(5);
        assertThat(scan.batchInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(scan.batchMaxSize()).isEqualTo(100);
        // inherited from defaults, which the preset leaves alone
        assertThat(scan.historySize()).isEqualTo(200);
        assertThat(scan.retained()).isTrue();
        // its own keys
        assertThat(scan.critical()).containsExactlyInAnyOrder("scanStarted", "phaseStarted", "scanCompleted", "error");
        assertThat(scan.coalesce()).containsExactlyInAnyOrder("progress", "stats");
        assertThat(scan.completeOn()).containsExactly("scanCompleted");
        assertThat(c.core().optionsFor("scan:42")).isSameAs(scan);
        assertThat(c.core().optionsFor("other:1")).isSameAs(c.core().defaults());
    }

    @Test
    void globalPresetAppliesFirstAndExplicitKeysFromAnySourceOverrideIt() throws IOException {
        Path file = write("herald.yml", "preset: realtime\ndefaults: {throttle: {rate: 7}}\n");

        LoadedConfig c = new ConfigLoader(Map.of("HERALD_PRESET", "unstable-network", "HERALD_HEARTBEAT_TIMEOUT", "45s"))
                .configFile(file)
                .load();

        // the environment's preset replaced the file's, so no realtime batching ...
        assertThat(c.core().defaults().batchInterval()).isEqualTo(NamespaceOptions.DEFAULT_BATCH_INTERVAL);
        // ... but its heartbeat interval, while explicit keys from the file and the environment win over it
        assertThat(c.server().heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.server().heartbeatTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.core().defaults().throttleRate()).isEqualTo(7);
    }

    @Test
    void lightweightPresetChangesServerLimits() {
        LoadedConfig c = new ConfigLoader(Map.of()).flag("--preset", "preset", "Lightweight").load();

        assertThat(c.server().maxConnections()).isEqualTo(100);
        assertThat(c.server().compression()).isFalse();
    }

    @Test
    void environmentOverridesTheFileAndFlagsOverrideTheEnvironment() throws IOException {
        Path file = write("herald.yml", "port: 1111\nhost: 10.0.0.1\nheartbeat: {interval: 3s}\n");
        Map<String, String> env = Map.of("HERALD_PORT", "2222", "HERALD_HEARTBEAT_INTERVAL", "4s");

        LoadedConfig c = new ConfigLoader(env).configFile(file)
                .flag("--port", "port", "3333")
                .load();

        assertThat(c.server().port()).isEqualTo(3333);
        assertThat(c.server().heartbeatInterval()).isEqualTo(Duration.ofSeconds(4));
        assertThat(c.server().host()).isEqualTo("10.0.0.1");
    }

    @Test
    void lastFlagForAKeyWins() {
        LoadedConfig c = new ConfigLoader(Map.of()).set("port=1").flag("--port", "port", "2").set("port=3").load();

        assertThat(c.server().port()).isEqualTo(3);
    }

    @Test
    void environmentListsAreCommaSeparated() {
        Map<String, String> env = Map.of("HERALD_DEFAULTS_CRITICAL", "a, b,,c", "HERALD_DEFAULTS_COMPLETE_ON", "");

        NamespaceOptions d = new ConfigLoader(env).load().core().defaults();

        assertThat(d.critical()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(d.completeOn()).isEmpty();
    }

    @Test
    void theNodeIdComesFromTheConfigurationAndNamesTheKeyWhenInvalid() {
        assertThat(new ConfigLoader(Map.of()).load().core().nodeId()).isEmpty();
        assertThat(new ConfigLoader(Map.of("HERALD_NODE_ID", "eu-1")).load().core().nodeId()).hasValue("eu-1");
        assertThat(new ConfigLoader(Map.of("HERALD_NODE_ID", "eu-1")).set("node.id=eu-2.b").load().core().nodeId()).hasValue("eu-2.b");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).set("node.id=no spaces").load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("node.id");
    }

    @Test
    void historyIsInMemoryByDefaultAndOnDiskWhenConfigured() {
        assertThat(new ConfigLoader(Map.of()).load().storage()).isEqualTo(StorageConfig.DEFAULT);
        assertThat(StorageConfig.DEFAULT.store()).isEqualTo(StorageConfig.Store.MEMORY);
        LoadedConfig c = new ConfigLoader(Map.of("HERALD_HISTORY_STORE", "Disk", "HERALD_HISTORY_DIR", "/var/lib/herald"))
                .set("history.flushInterval=250ms").load();
        assertThat(c.storage()).isEqualTo(new StorageConfig(StorageConfig.Store.DISK, Path.of("/var/lib/herald"),
                Duration.ofMillis(250)));
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).set("history.store=rocks").load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("history.store")
                .hasMessageContaining("must be memory or disk");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).set("history.flushInterval=0").load())
                .isInstanceOf(ConfigException.class).hasMessageContaining("history.flushInterval: must be at least 1ms");
    }

    @Test
    void everyGlobalKeyHasAnEnvironmentVariable() {
        Map<String, String> env = Map.ofEntries(
                Map.entry("HERALD_IO_THREADS", "3"),
                Map.entry("HERALD_DRAIN_TIMEOUT", "20000"),
                Map.entry("HERALD_LIMITS_MAX_MESSAGE_SIZE", "1KB"),
                Map.entry("HERALD_LIMITS_MAX_REQUEST_SIZE", "4096"),
                Map.entry("HERALD_LIMITS_MAX_CONNECTIONS", "10"),
                Map.entry("HERALD_COMPRESSION_ENABLED", "FALSE"),
                Map.entry("HERALD_COMPRESSION_THRESHOLD", "512B"),
                Map.entry("HERALD_SHUTDOWN_RECONNECT_AFTER", "0"),
                Map.entry("HERALD_SHUTDOWN_RECONNECT_JITTER", "2s"),
                Map.entry("HERALD_LOG_LEVEL", "DEBUG"),
                Map.entry("HERALD_DEFAULTS_BATCH_INTERVAL", "20ms"),
                Map.entry("HERALD_DEFAULTS_BATCH_MAX_SIZE", "5"),
                Map.entry("HERALD_DEFAULTS_THROTTLE_RATE", "0"),
                Map.entry("HERALD_DEFAULTS_COALESCE", "progress"),
                Map.entry("HERALD_DEFAULTS_CLEANUP_DELAY", "1h"),
                Map.entry("HERALD_DEFAULTS_HISTORY_SIZE", "0"),
                Map.entry("HERALD_DEFAULTS_HISTORY_TTL", "30s"),
                Map.entry("HERALD_DEFAULTS_RETAINED", "true"),
                Map.entry("HERALD_DEFAULTS_OUTBOUND_BUFFER", "64KiB"));

        LoadedConfig c = new ConfigLoader(env).load();

        ServerConfig s = c.server();
        assertThat(s.ioThreads()).isEqualTo(3);
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.maxMessageSize()).isEqualTo(1000);
        assertThat(s.maxRequestSize()).isEqualTo(4096);
        assertThat(s.maxConnections()).isEqualTo(10);
        assertThat(s.compression()).isFalse();
        assertThat(s.compressionThreshold()).isEqualTo(512);
        assertThat(s.reconnectAfter()).isZero();
        assertThat(s.reconnectJitter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.logLevel()).isEqualTo("debug");
        NamespaceOptions d = c.core().defaults();
        assertThat(d.batchInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(d.batchMaxSize()).isEqualTo(5);
        assertThat(d.throttleRate()).isZero();
        assertThat(d.coalesce()).containsExactly("progress");
        assertThat(d.cleanupDelay()).isEqualTo(Duration.ofHours(1));
        assertThat(d.historySize()).isZero();
        assertThat(d.historyTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.retained()).isTrue();
        assertThat(d.outboundBufferBytes()).isEqualTo(64 * 1024);
        assertThat(ConfigKeys.ENVIRONMENT).containsEntry("HERALD_LIMITS_MAX_MESSAGE_SIZE", "limits.maxMessageSize")
                .containsEntry("HERALD_DEFAULTS_COMPLETE_ON", "defaults.completeOn")
                .hasSize(ConfigKeys.GLOBAL.size());
    }

    @Test
    void unknownHeraldVariablesAreIgnoredAndReportedByNameOnly() {
        Map<String, String> env = Map.of("HERALD_API_TOKEN", "s3cret", "HERALD_PROT", "1", "PATH", "/bin");

        LoadedConfig c = new ConfigLoader(env).load();

        assertThat(c.ignoredVariables()).containsExactly("HERALD_API_TOKEN", "HERALD_PROT");
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void configVariableNamesTheFileWhenNoneIsGiven() throws IOException {
        Path file = write("env.yml", "port: 4444\n");

        LoadedConfig c = new ConfigLoader(Map.of("HERALD_CONFIG", file.toString())).load();

        assertThat(c.server().port()).isEqualTo(4444);
        assertThat(c.configFile()).contains(file);
    }

    @Test
    void explicitConfigFileWinsOverConfigVariable() throws IOException {
        Path file = write("flag.yml", "port: 5555\n");

        LoadedConfig c = new ConfigLoader(Map.of("HERALD_CONFIG", dir.resolve("missing.yml").toString()))
                .configFile(file)
                .load();

        assertThat(c.server().port()).isEqualTo(5555);
    }

    @Test
    void setReachesNamespacesLogLevelsAndLists() {
        LoadedConfig c = new ConfigLoader(Map.of())
                .set("namespaces.scan.throttle.rate=5")
                .set("namespaces.jobs.v2.preset=realtime")
                .set("defaults.critical=a,b")
                .set("log.levels.io.herald.server=TRACE")
                .load();

        HeraldConfig core = c.core();
        assertThat(core.namespaces().get("scan").throttleRate()).isEqualTo(5);
        assertThat(core.namespaces().get("jobs.v2").throttleRate()).isEqualTo(20);
        assertThat(core.namespaces().get("jobs.v2").critical()).containsExactlyInAnyOrder("a", "b");
        assertThat(core.defaults().critical()).isEqualTo(Set.of("a", "b"));
        assertThat(c.logLevels()).containsExactly(Map.entry("io.herald.server", "trace"));
    }

    @Test
    void emptyConfigFileConfiguresNothing() throws IOException {
        LoadedConfig c = new ConfigLoader(Map.of()).configFile(write("empty.yml", "# nothing yet\n")).load();

        assertThat(c.server()).hasToString(ServerConfig.newBuilder().build().toString());
    }

    @Test
    void builderRejectionNamesTheKeyAndWhereTheValueCameFrom() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_PORT", "70000")).load())
                .isInstanceOf(ConfigException.class)
                .hasMessage("port: must be between 0 and 65535, was 70000 (from HERALD_PORT)");
    }

    @Test
    void namespaceRejectionNamesTheFullKey() throws IOException {
        Path file = write("herald.yml", "namespaces:\n  scan:\n    batch: {maxSize: 0}\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).configFile(file).load())
                .hasMessage("namespaces.scan.batch.maxSize: must be between 1 and 10000, was 0 (in " + file + ")");
    }

    @Test
    void ruleBetweenTwoKeysNamesTheSourcesInvolved() throws IOException {
        Path file = write("herald.yml", "heartbeat: {timeout: 8s}\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).configFile(file).flag("--preset", "preset", "unstable-network").load())
                .hasMessageStartingWith("heartbeat.timeout (PT8S) must be longer than heartbeat.interval (PT10S)")
                .hasMessageEndingWith("(heartbeat.timeout in " + file + "; preset 'unstable-network' from --preset)");
    }

    @Test
    void unknownKeyInTheFileIsAnErrorWithASuggestion() throws IOException {
        Path file = write("herald.yml", "heartbeat:\n  intervall: 5s\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).configFile(file).load())
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown key 'heartbeat.intervall' (in " + file + "); did you mean 'heartbeat.interval'?");
    }

    @Test
    void unknownKeyInANamespaceIsAnError() throws IOException {
        Path file = write("herald.yml", "namespaces: {scan: {critcal: [a]}}\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).configFile(file).load())
                .hasMessageStartingWith("unknown key 'namespaces.scan.critcal' (in " + file + ")")
                .hasMessageEndingWith("did you mean 'namespaces.scan.critical'?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope=1", "defaults.preset=large", "namespaces.scan=1", "log.level.io=debug", "log.levels.=debug"})
    void unknownKeyInSetIsAnError(String assignment) {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).set(assignment).load())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown key '" + assignment.substring(0, assignment.indexOf('=')) + "' (from --set)");
    }

    @Test
    void setWithoutEqualsIsAnError() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).set("heartbeat.interval"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--set expects key.path=value");
    }

    @Test
    void badDurationNamesKeyValueAndFile() throws IOException {
        Path file = write("herald.yml", "heartbeat:\n  interval: 5 seconds\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).configFile(file).load())
                .hasMessage("heartbeat.interval: '5 seconds' is not a duration; use e.g. 500ms, 5s, 2m (in " + file + ")");
    }

    @Test
    void scalarKeyGivenAListOrMappingIsAnError() throws IOException {
        Path list = write("list.yml", "port: [1, 2]\n");
        Path mapping = write("mapping.yml", "heartbeat: 5s\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).configFile(list).load())
                .hasMessage("port: expected a single value, not a list (in " + list + ")");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).configFile(mapping).load())
                .hasMessage("heartbeat: expected a mapping of keys, got '5s' (in " + mapping + ")");
    }

    @Test
    void duplicateKeysAreAnError() throws IOException {
        Path file = write("herald.yml", "port: 1\nport: 2\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).configFile(file).load())
                .hasMessageContaining("cannot parse config file '" + file + "'")
                .hasMessageContaining("port");
    }

    @Test
    void malformedYamlNamesTheFileAndLine() throws IOException {
        Path file = write("herald.yml", "port: 1\nheartbeat: {interval: 5s\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).configFile(file).load())
                .hasMessageStartingWith("cannot parse config file '" + file + "' at line ")
                .hasMessageContaining("expected ',' or '}'")
                .hasMessageNotContaining("\n");
    }

    @Test
    void missingConfigFileNamesThePathAndWhereItCameFrom() {
        Path missing = dir.resolve("missing.yml");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).configFile(missing).load())
                .hasMessage("config file '" + missing + "' does not exist");
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_CONFIG", missing.toString())).load())
                .hasMessage("config file '" + missing + "' does not exist (from HERALD_CONFIG)");
    }

    @Test
    void unknownPresetListsTheKnownOnes() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).flag("--preset", "preset", "turbo").load())
                .hasMessageStartingWith("preset: unknown preset 'turbo'; known presets: standard, large")
                .hasMessageEndingWith("(from --preset)");
    }

    @Test
    void namespacePresetIsParsedToo() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).set("namespaces.scan.preset=turbo").load())
                .hasMessageStartingWith("namespaces.scan.preset: unknown preset 'turbo'");
    }

    @Test
    void unquotedOffInYamlIsALogLevel() throws IOException {
        Path file = write("herald.yml", "log:\n  level: off\n  levels: {io.herald.server: OFF, io.netty: debug}\n");

        LoadedConfig c = new ConfigLoader(Map.of()).configFile(file).load();

        assertThat(c.logLevel()).isEqualTo("off");
        assertThat(c.logLevels()).containsEntry("io.herald.server", "off").containsEntry("io.netty", "debug");
    }

    @Test
    void invalidLogLevelIsAnError() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).flag("--log-level", "log.level", "verbose").load())
                .hasMessage("log.level: 'verbose' is not a log level; use trace, debug, info, warn, error or off (from --log-level)");
    }

    @Test
    void invalidNamespaceNameIsAnError() throws IOException {
        Path file = write("herald.yml", "namespaces:\n  \"my scans\": {retained: true}\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of()).configFile(file).load())
                .hasMessageStartingWith("namespaces.my scans: 'my scans' is not a namespace name");
    }

    @Test
    void sizeTooLargeForTheServerIsAnError() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).set("limits.maxMessageSize=4GiB").load())
                .hasMessage("limits.maxMessageSize: '4GiB' is too large (from --set)");
    }

    @ParameterizedTest
    @CsvSource({"100, 100", "100ms, 100", "5s, 5000", "5m, 300000", "1h, 3600000", "0, 0"})
    void parsesDurations(String text, long millis) {
        assertThat(Units.duration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 seconds", "5S", "1.5s", "-1s", "5d", "", "s", "99999999999999999999ms"})
    void rejectsWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Units.duration(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is ");
    }

    @ParameterizedTest
    @CsvSource({"512, 512", "512B, 512", "1KB, 1000", "64KiB, 65536", "1MB, 1000000", "1MiB, 1048576",
            "1GB, 1000000000", "1GiB, 1073741824"})
    void parsesSizes(String text, long bytes) {
        assertThat(Units.size(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"64kb", "64 KiB", "1.5MiB", "64K", "-1", "1TiB", "9999999999GiB"})
    void rejectsWhatIsNotASize(String text) {
        assertThatThrownBy(() -> Units.size(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "on", "1", ""})
    void booleansAreTrueOrFalseOnly(String text) {
        assertThatThrownBy(() -> Units.bool(text)).hasMessage("'" + text + "' is not a boolean; use true or false");
    }

    @Test
    void readsTheAuthKeysOfTheConfigFile() throws IOException {
        Path file = write("herald.yml", """
                auth:
                  anonymous: true
                  jwt:
                    algorithm: HS256
                    secret: %s
                    issuer: https://issuer.test
                    audience: herald
                    clockSkew: 5s
                  apiKeys:
                    publish: [pub-0123456789abcdef, pub-fedcba9876543210]
                    admin: [adm-0123456789abcdef]
                  connectTimeout: 3s
                allowedOrigins: [https://app.example.com, "http://localhost:3000"]
                """.formatted(SECRET));

        AuthConfig a = new ConfigLoader(Map.of()).configFile(file).load().server().auth();

        assertThat(a.anonymous()).isTrue();
        assertThat(a.jwtAlgorithm()).contains(JwtAlgorithm.HS256);
        assertThat(a.jwtKey().orElseThrow().getEncoded()).isEqualTo(SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(a.issuer()).contains("https://issuer.test");
        assertThat(a.audience()).contains("herald");
        assertThat(a.clockSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(a.publishApiKeys()).containsExactlyInAnyOrder("pub-0123456789abcdef", "pub-fedcba9876543210");
        assertThat(a.adminApiKeys()).containsExactly("adm-0123456789abcdef");
        assertThat(a.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(a.allowedOrigins()).containsExactly("https://app.example.com", "http://localhost:3000");
    }

    @Test
    void readsAPemPublicKeyFromABlockScalarOrAFile() throws IOException {
        String pem = TestKeys.pem(TestKeys.EC.getPublic());
        Path inline = write("inline.yml", "auth:\n  jwt:\n    publicKey: |\n" + pem.indent(6));
        Path keyFile = write("jwt.pem", pem);

        assertThat(new ConfigLoader(Map.of()).configFile(inline).load().server().auth().jwtKey())
                .contains(TestKeys.EC.getPublic());
        assertThat(new ConfigLoader(Map.of("HERALD_AUTH_JWT_PUBLIC_KEY_FILE", keyFile.toString())).load().server().auth()
                .jwtAlgorithm()).contains(JwtAlgorithm.ES256);
        assertThat(new ConfigLoader(Map.of("HERALD_AUTH_JWT_PUBLIC_KEY", pem)).load().server().auth().jwtKey())
                .contains(TestKeys.EC.getPublic());
    }

    @Test
    void strictOriginAndKeepAliveTimeoutHaveKeysAndEnvironmentVariables() throws IOException {
        LoadedConfig env = new ConfigLoader(Map.of("HERALD_AUTH_STRICT_ORIGIN", "true",
                "HERALD_LIMITS_KEEP_ALIVE_TIMEOUT", "30s")).load();
        assertThat(env.server().auth().strictOrigin()).isTrue();
        assertThat(env.server().keepAliveTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(env.ignoredVariables()).isEmpty();

        Path file = write("strict.yml", "auth:\n  strictOrigin: true\nlimits:\n  keepAliveTimeout: 2m\n");
        LoadedConfig yaml = new ConfigLoader(Map.of()).configFile(file).load();
        assertThat(yaml.server().auth().strictOrigin()).isTrue();
        assertThat(yaml.server().keepAliveTimeout()).isEqualTo(Duration.ofMinutes(2));

        LoadedConfig defaults = new ConfigLoader(Map.of()).load();
        assertThat(defaults.server().auth().strictOrigin()).isFalse();
        assertThat(defaults.server().keepAliveTimeout()).isEqualTo(ServerConfig.DEFAULT_KEEP_ALIVE_TIMEOUT);
    }

    @Test
    void everyAuthKeyHasAnEnvironmentVariable() {
        Map<String, String> env = Map.of(
                "HERALD_AUTH_ANONYMOUS", "true",
                "HERALD_AUTH_JWT_ALGORITHM", "hs256",
                "HERALD_AUTH_JWT_SECRET", SECRET,
                "HERALD_AUTH_JWT_ISSUER", "iss",
                "HERALD_AUTH_JWT_AUDIENCE", "aud",
                "HERALD_AUTH_JWT_CLOCK_SKEW", "0",
                "HERALD_AUTH_API_KEYS_PUBLISH", "pub-0123456789abcdef,pub-fedcba9876543210",
                "HERALD_AUTH_API_KEYS_ADMIN", "adm-0123456789abcdef",
                "HERALD_AUTH_CONNECT_TIMEOUT", "2s",
                "HERALD_ALLOWED_ORIGINS", "*");

        LoadedConfig c = new ConfigLoader(env).load();

        AuthConfig a = c.server().auth();
        assertThat(a.anonymous()).isTrue();
        assertThat(a.jwtAlgorithm()).contains(JwtAlgorithm.HS256);
        assertThat(a.issuer()).contains("iss");
        assertThat(a.audience()).contains("aud");
        assertThat(a.clockSkew()).isZero();
        assertThat(a.publishApiKeys()).hasSize(2);
        assertThat(a.adminApiKeys()).containsExactly("adm-0123456789abcdef");
        assertThat(a.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(a.allowedOrigins()).containsExactly("*");
        assertThat(c.ignoredVariables()).isEmpty();
        // serve logs the server configuration: it must hold no secret
        assertThat(c.server().toString()).doesNotContain(SECRET).doesNotContain("pub-0123456789abcdef")
                .doesNotContain("adm-0123456789abcdef");
    }

    @Test
    void authIsOffByDefault() {
        AuthConfig a = new ConfigLoader(Map.of()).load().server().auth();

        assertThat(a).hasToString(AuthConfig.DEFAULTS.toString());
        assertThat(a.anonymous()).isFalse();
    }

    @Test
    void aShortSecretNamesTheKeyAndTheVariableButNotTheValue() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_AUTH_JWT_SECRET", "hunter2")).load())
                .isInstanceOf(ConfigException.class)
                .hasMessage("auth.jwt.secret: must be at least 32 bytes, was 7; generate one with: openssl rand -hex 32"
                        + " (from HERALD_AUTH_JWT_SECRET)")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void twoKeysFromTwoSourcesNameBoth() throws IOException {
        Path file = write("herald.yml", "auth: {jwt: {publicKeyFile: /etc/herald/jwt.pem}}\n");

        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_AUTH_JWT_SECRET", SECRET)).configFile(file).load())
                .hasMessageStartingWith("auth.jwt.secret: must not be set together with a public key")
                .hasMessageEndingWith("(auth.jwt.secret from HERALD_AUTH_JWT_SECRET; auth.jwt.publicKeyFile in " + file + ")")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void unsupportedAlgorithmIsAnError() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).set("auth.jwt.algorithm=none").load())
                .hasMessage("auth.jwt.algorithm: 'none' is not a supported algorithm; use HS256, RS256 or ES256 (from --set)");
    }

    @Test
    void badOriginIsAnError() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_ALLOWED_ORIGINS", "app.example.com")).load())
                .hasMessageStartingWith("allowedOrigins: must hold origins such as https://app.example.com")
                .hasMessageEndingWith("(from HERALD_ALLOWED_ORIGINS)");
    }

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }
}
