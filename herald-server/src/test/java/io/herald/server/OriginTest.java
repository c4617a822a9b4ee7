package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.HeraldConfig;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code Origin} rules over real sockets, in both modes: by default an {@code Origin} that
 * matches the {@code Host} passes (which is what DNS rebinding exploits); with
 * {@code auth.strictOrigin} only configured origins and requests without {@code Origin} do. A
 * well-behaved client on each server keeps receiving.
 */
class OriginTest {
    private static final String APP = "https://app.example";
    private static TestServer lenient;
    private static TestServer strict;
    private TestClient lenientBystander;
    private TestClient strictBystander;

    @BeforeAll
    static void start() {
        lenient = TestServer.start(b -> b.auth(TestServer.AUTH.toBuilder().allowedOrigins(List.of(APP)).build()),
                HeraldConfig.DEFAULTS);
        strict = TestServer.start(b -> b.auth(TestServer.AUTH.toBuilder().allowedOrigins(List.of(APP)).strictOrigin(true)
                .build()), HeraldConfig.DEFAULTS);
    }

    @AfterAll
    static void stop() {
        lenient.close();
        strict.close();
    }

    @BeforeEach
    void bystanders() {
        lenientBystander = lenient.subscriber("origin:bystander");
        // the test client sends an Origin; on the strict server it has to be a configured one
        strictBystander = TestClient.connect(strict.port(), "/ws", new DefaultHttpHeaders().set("Origin", APP), false);
        strictBystander.expect("welcome");
        strictBystander.send("{\"type\":\"subscribe\",\"channel\":\"origin:bystander\"}");
        strictBystander.expect("subscribed");
    }

    @AfterEach
    void bystandersStillReceive() {
        stillReceives(lenient, lenientBystander);
        stillReceives(strict, strictBystander);
    }

    private static void stillReceives(TestServer server, TestClient bystander) {
        long offset = server.herald.publish("origin:bystander", "check", 1).join().offset();
        assertThat(bystander.expect("message").path("offset").asLong()).isEqualTo(offset);
        assertThat(bystander.isOpen()).isTrue();
        bystander.close();
    }

    private static int upgrade(TestServer server, String host, String origin) {
        try (RawHttp c = RawHttp.connect(server.port())) {
            String req = "GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
            RawHttp.Response r = c.send(req).read();
            if (r.status() != 101) {
                assertThat(r.json().path("error").path("code").asText()).isEqualTo("forbidden");
                assertThat(c.closedByServer()).isTrue();
            }
            return r.status();
        }
    }

    @Test
    void byDefaultARebindingPageWhoseOriginMatchesItsHostIsLetThrough() {
        // a page on rebound.example whose name now resolves to 127.0.0.1: Host and Origin agree
        assertThat(upgrade(lenient, "rebound.example:" + lenient.port(), "http://rebound.example:" + lenient.port()))
                .isEqualTo(101);
        assertThat(upgrade(lenient, "rebound.example", "https://evil.example")).isEqualTo(403);
    }

    @Test
    void strictModeRefusesTheRebindingPage() {
        assertThat(upgrade(strict, "rebound.example:" + strict.port(), "http://rebound.example:" + strict.port()))
                .isEqualTo(403);
        assertThat(upgrade(strict, "127.0.0.1:" + strict.port(), "http://127.0.0.1:" + strict.port())).isEqualTo(403);
    }

    @Test
    void strictModeLetsConfiguredOriginsAndRequestsWithoutOriginThrough() {
        assertThat(upgrade(strict, "herald.example", APP)).isEqualTo(101);
        assertThat(upgrade(strict, "herald.example", null)).isEqualTo(101);
    }
}
