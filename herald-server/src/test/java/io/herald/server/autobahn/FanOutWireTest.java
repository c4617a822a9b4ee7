package io.herald.server.autobahn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A channel's fan-out frame is framed for the wire once and the same bytes go to every client
 * without compression, while a client that negotiated permessage-deflate still gets it compressed.
 * Read off the socket, below any client-side decoder.
 */
class FanOutWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void plainAndCompressedClientsShareOneFanOut() throws Exception {
        try (RawWebSocket plain1 = RawWebSocket.connect(server.port(), "/ws/wire:1", null);
                RawWebSocket plain2 = RawWebSocket.connect(server.port(), "/ws/wire:1", null);
                RawWebSocket deflate = RawWebSocket.connect(server.port(), "/ws/wire:1", "permessage-deflate")) {
            for (RawWebSocket c : new RawWebSocket[] {plain1, plain2, deflate}) {
                assertThat(type(c.readMessage())).isEqualTo("welcome");
                assertThat(type(c.readMessage())).isEqualTo("subscribed");
            }
            String big = "x".repeat(5_000); // above the 1 KiB compression threshold; a 16-bit length
            server.publish("wire:1", "big", "\"" + big + "\"");

            RawWebSocket.Frame a = plain1.read();
            RawWebSocket.Frame b = plain2.read();
            assertThat(a.fin()).isTrue();
            assertThat(a.rsv()).isZero();
            assertThat(a.opcode()).isEqualTo(RawWebSocket.TEXT);
            assertThat(b.payload()).isEqualTo(a.payload());
            assertThat(JSON.readTree(a.payload()).toString()).contains(big);

            RawWebSocket.Frame compressed = deflate.read();
            assertThat(compressed.rsv() & RawWebSocket.RSV1).as("compressed for the client that asked").isNotZero();
            assertThat(compressed.payload().length).isLessThan(1_000);
        }
    }

    @Test
    void largeFanOutFrameUsesTheLongLength() throws Exception {
        try (RawWebSocket plain = RawWebSocket.connect(server.port(), "/ws/wire:2", null)) {
            assertThat(type(plain.readMessage())).isEqualTo("welcome");
            assertThat(type(plain.readMessage())).isEqualTo("subscribed");
            String big = "y".repeat(70_000); // over 65,535 bytes: a 64-bit length
            server.publish("wire:2", "big", "\"" + big + "\"");
            RawWebSocket.Frame f = plain.read();
            assertThat(f.fin()).isTrue();
            assertThat(f.payload().length).isGreaterThan(70_000);
            assertThat(JSON.readTree(f.payload()).toString()).contains(big);
        }
    }

    private static String type(RawWebSocket.Frame f) throws Exception {
        return JSON.readTree(f.payload()).path("type").asText();
    }
}
