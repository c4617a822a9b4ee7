package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 6455 version 13 upgrades only, validated before anything is installed: every refused upgrade
 * gets a JSON error with {@code Connection: close} and the socket is closed, and a well-behaved
 * client on the same server keeps receiving.
 */
class UpgradeTest {
    private static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";
    private static final String UPGRADE = "Upgrade: websocket";
    private static final String CONNECTION = "Connection: Upgrade";
    private static final String V13 = "Sec-WebSocket-Version: 13";
    private static TestServer server;
    private TestClient bystander;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void bystander() {
        bystander = server.subscriber("upgrade:bystander");
    }

    @AfterEach
    void bystanderStillReceives() {
        long offset = server.publish("upgrade:bystander", "check", "1");
        assertThat(bystander.expect("message").path("offset").asLong()).isEqualTo(offset);
        assertThat(bystander.isOpen()).isTrue();
        bystander.close();
    }

    private static RawHttp.Response refused(String request, int status, String hint) {
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send(request).read();
            assertThat(r.status()).as("status of %s", r).isEqualTo(status);
            assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.json().path("error").path("code").asText()).isNotEmpty();
            assertThat(r.json().path("error").path("message").asText()).contains(hint);
            assertThat(c.closedByServer()).as("closed after the refusal").isTrue();
            return r;
        }
    }

    @Test
    void upgradeWithoutVersionIsRefused400InsteadOfAnsweringHixie76() {
        // a hixie-76 request: two keys in headers and 8 bytes of a third after them
        RawHttp.Response r = refused(RawHttp.upgrade("/ws?token=secret-token", UPGRADE, CONNECTION,
                "Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5", "Sec-WebSocket-Key2: 12998 5 Y3 1  .P00", "Origin: http://127.0.0.1")
                + "^n:ds[4U", 400, "Sec-WebSocket-Version: 13");
        assertThat(r.headers().values()).noneMatch(v -> v.contains("secret-token"));
        assertThat(r.headers()).doesNotContainKey("sec-websocket-location");
    }

    @ParameterizedTest(name = "version {0}")
    @CsvSource({"8", "7", "0", "14", "13 13", "x"})
    void otherVersionsAreAnswered426WithTheVersionServed(String version) {
        RawHttp.Response r = refused(RawHttp.upgrade("/ws", UPGRADE, CONNECTION, KEY, "Sec-WebSocket-Version: " + version),
                426, "version 13");
        assertThat(r.header("Sec-WebSocket-Version")).isEqualTo("13");
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("bad_request");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no key               | X-Nothing: 1
            empty key            | Sec-WebSocket-Key:
            not base64           | Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!==
            15 bytes             | Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA
            17 bytes             | Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAA=
            16 bytes unpadded    | Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA
            """)
    void keysThatAreNotBase64Of16BytesAreRefused400(String name, String keyHeader) {
        refused(RawHttp.upgrade("/ws", UPGRADE, CONNECTION, V13, keyHeader), 400, "Sec-WebSocket-Key");
    }

    @Test
    void upgradeWithoutConnectionUpgradeIsRefused400() {
        refused(RawHttp.upgrade("/ws", UPGRADE, "Connection: keep-alive", V13, KEY), 400, "Connection: Upgrade");
    }

    @Test
    void plainRequestToTheWebSocketEndpointIsRefusedAndClosed() {
        refused(RawHttp.upgrade("/ws"), 400, "Upgrade: websocket");
    }

    @Test
    void upgradeWithAnInvalidChannelIsRefusedAndClosed() {
        refused(RawHttp.upgrade("/ws/bad%20channel", UPGRADE, CONNECTION, V13, KEY), 400, "channel");
    }

    @Test
    void upgradeFromAForeignOriginIsRefused403AndClosed() {
        refused(RawHttp.upgrade("/ws", UPGRADE, CONNECTION, V13, KEY, "Origin: https://evil.example"), 403, "origin");
    }

    @Test
    void requestAfterARefusedUpgradeNeverReachesAHalfInstalledPipeline() {
        try (LogCapture logs = LogCapture.of("io.herald"); RawHttp c = RawHttp.connect(server.port())) {
            // a bad key and a second request in the same packet: before the fix the second got a 500
            // "Duplicate handler name" and a WARN stack trace
            c.send(RawHttp.upgrade("/ws", UPGRADE, CONNECTION, V13, "Sec-WebSocket-Key: short")
                    + "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
            assertThat(c.closedByServer()).isTrue();
            assertThat(logs.events()).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        }
    }

    @Test
    void validVersion13UpgradeIsAccepted() {
        try (RawHttp c = RawHttp.connect(server.port())) {
            RawHttp.Response r = c.send(RawHttp.upgrade("/ws", UPGRADE, CONNECTION, V13, KEY)).read();
            assertThat(r.status()).isEqualTo(101);
            // RFC 6455 §1.3's example
            assertThat(r.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        }
    }
}
