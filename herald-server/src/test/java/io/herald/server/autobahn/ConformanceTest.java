package io.herald.server.autobahn;

import static io.herald.server.autobahn.RawWebSocket.BINARY;
import static io.herald.server.autobahn.RawWebSocket.CLOSE;
import static io.herald.server.autobahn.RawWebSocket.CONTINUATION;
import static io.herald.server.autobahn.RawWebSocket.PING;
import static io.herald.server.autobahn.RawWebSocket.PONG;
import static io.herald.server.autobahn.RawWebSocket.RSV1;
import static io.herald.server.autobahn.RawWebSocket.TEXT;
import static io.herald.server.autobahn.RawWebSocket.randomBytes;
import static io.herald.server.autobahn.RawWebSocket.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.CloseCodes;
import io.herald.server.autobahn.RawWebSocket.Frame;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autobahn|Testsuite groups 1 to 7, in spirit and scaled down, against {@link AutobahnEchoServer}:
 * Herald's own WebSocket pipeline with an echo handler, over a raw socket that sends any frame.
 * Groups 9, 12 and 13 are in {@link CompressionAndLimitsConformanceTest}. These run in every build;
 * the suite itself runs with {@code -Pautobahn} (herald-server/pom.xml). Each nested class names
 * the Autobahn group it stands for.
 */
class ConformanceTest {
    private static AutobahnEchoServer server;

    @BeforeAll
    static void start() {
        server = AutobahnEchoServer.start(AutobahnEchoServer.CONFORMANCE_CONFIG.toBuilder().port(0).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawWebSocket connect() {
        return RawWebSocket.connect(server.port(), null);
    }

    /** Group 1: text and binary echo across the 7-bit, 16-bit and 64-bit payload length encodings. */
    @Nested
    class Framing {
        @ParameterizedTest
        @ValueSource(ints = {0, 125, 126, 127, 128, 65535, 65536})
        void textOfEveryLengthEncodingIsEchoed(int length) {
            try (RawWebSocket ws = connect()) {
                byte[] payload = utf8("*".repeat(length));
                ws.send(TEXT, payload);
                ws.expectEcho(TEXT, payload);
                ws.expectStillOpenThenClose();
            }
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 125, 126, 127, 128, 65535, 65536})
        void binaryOfEveryLengthEncodingIsEchoed(int length) {
            try (RawWebSocket ws = connect()) {
                byte[] payload = randomBytes(length, length);
                ws.send(BINARY, payload);
                ws.expectEcho(BINARY, payload);
                ws.expectStillOpenThenClose();
            }
        }

        @Test
        void frameWrittenInSmallChunksIsEchoedWhole() {
            try (RawWebSocket ws = connect()) {
                byte[] payload = randomBytes(65536, 8);
                ws.sendInChunks(BINARY, payload, 997);
                ws.expectEcho(BINARY, payload);
            }
        }
    }

    /** Group 2: pings with payloads up to 125 bytes get matching pongs; longer control frames fail with 1002. */
    @Nested
    class PingsAndPongs {
        @ParameterizedTest
        @ValueSource(ints = {0, 1, 125})
        void pingIsAnsweredWithPongCarryingTheSamePayload(int length) {
            try (RawWebSocket ws = connect()) {
                byte[] payload = randomBytes(length, 2);
                ws.send(PING, payload);
                Frame pong = ws.read();
                assertThat(pong.opcode()).isEqualTo(PONG);
                assertThat(pong.payload()).isEqualTo(payload);
                ws.expectStillOpenThenClose();
            }
        }

        @Test
        void pingOver125BytesFailsTheConnectionWith1002() {
            try (RawWebSocket ws = connect()) {
                ws.send(PING, randomBytes(126, 3));
                ws.expectClose(CloseCodes.PROTOCOL_ERROR);
            }
        }

        @Test
        void unsolicitedPongIsIgnored() {
            try (RawWebSocket ws = connect()) {
                ws.send(PONG, utf8("unsolicited"));
                ws.expectStillOpenThenClose();
            }
        }

        @Test
        void pingWrittenOneByteAtATimeIsAnswered() {
            try (RawWebSocket ws = connect()) {
                ws.sendInChunks(PING, utf8("Hello, world!"), 1);
                assertThat(ws.read().text()).isEqualTo("Hello, world!");
            }
        }

        @Test
        void tenPingsGetTenPongsInOrder() {
            try (RawWebSocket ws = connect()) {
                for (int i = 0; i < 10; i++) {
                    ws.send(PING, utf8("ping " + i));
                }
                for (int i = 0; i < 10; i++) {
                    Frame pong = ws.read();
                    assertThat(pong.opcode()).isEqualTo(PONG);
                    assertThat(pong.text()).isEqualTo("ping " + i);
                }
            }
        }
    }

    /** Group 3: reserved bits that no negotiated extension defines fail the connection with 1002. */
    @Nested
    class ReservedBits {
        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
        void textWithReservedBitsFailsWith1002(int rsv) {
            try (RawWebSocket ws = connect()) {
                ws.send(true, rsv, TEXT, utf8("Hello, world!"));
                ws.expectClose(CloseCodes.PROTOCOL_ERROR);
            }
        }

        @Test
        void pingAndCloseWithReservedBitsFailWith1002() {
            try (RawWebSocket ws = connect()) {
                ws.send(true, 6, PING, utf8("Hello, world!"));
                ws.expectClose(CloseCodes.PROTOCOL_ERROR);
            }
            try (RawWebSocket ws = connect()) {
                ws.send(true, 7, CLOSE, new byte[] {0x03, (byte) 0xE8});
                ws.expectClose(CloseCodes.PROTOCOL_ERROR);
            }
        }

        @Test
        void echoBeforeTheViolationArrivesThenTheConnectionFails() {
            try (RawWebSocket ws = connect()) {
                ws.sendText("first");
                ws.send(true, 2, TEXT, utf8("second"));
                ws.send(PING, utf8("after"));
                ws.expectEcho(TEXT, utf8("first"));
                ws.expectClose(CloseCodes.PROTOCOL_ERROR);
            }
        }

        @Test
        void withDeflateNegotiatedOnlyRsv1OnTheFirstDataFrameIsAllowed() {
            try (RawWebSocket ws = RawWebSocket.connect(server.port(), "permessage-deflate")) {
                ws.send(true, 2, TEXT, utf8("RSV2 is still reserved"));
                ws.expectClose(CloseCodes.PROTOCOL_ERROR);
            }
            try (RawWebSocket ws = RawWebSocket.connect(server.port(), "permessage-deflate")) {
                ws.send(true, RSV1, PING, utf8("control frames are never compressed"));
                ws.expectClose(CloseCodes.PROTOCOL_ERROR);
            }
        }

        @Test
        void compressedFrameAfterTheOfferWasDeclinedFailsWith1002() {
            // server_no_context_takeover alone is an offer Herald declines
            try (RawWebSocket ws = RawWebSocket.connect(server.port(), "permessage-deflate; server_no_context_takeover")) {
                assertThat(ws.extensions()).isEmpty();
                ws.sendCompressed(TEXT, utf8("Hello, Herald! κόσμε"), true, 1);
                ws.expectClose(CloseCodes.PROTOCOL_ERROR);
            }
        }
    }

    /** Group 4: reserved opcodes fail the connection with 1002, after what came before is echoed. */
    @Nested
    class Opcodes {
        @ParameterizedTest
        @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
        void reservedOpcodeFailsWith1002(int opcode) {
            try (RawWebSocket ws = connect()) {
                ws.sendText("before");
                ws.send(opcode, utf8("reserved"));
                ws.send(PING, utf8("never answered"));
                ws.expectEcho(TEXT, utf8("before"));
                ws.expectClose(CloseCodes.PROTOCOL_ERROR);
            }
        }
    }

    /** Group 5: fragmented messages, control frames between fragments, and broken fragment sequences. */
    @Nested
    class Fragmentation {
        @Test
        void fragmentedTextIsEchoedAsOneMessage() {
            try (RawWebSocket ws = connect()) {
                ws.send(false, 0, TEXT, utf8("frag"));
                ws.send(false, 0, CONTINUATION, utf8("men"));
                ws.send(true, 0, CONTINUATION, utf8("ts"));
                ws.expectEcho(TEXT, utf8("fragments"));
            }
        }

        @Test
        void pingBetweenFragmentsIsAnsweredBeforeTheMessage() {
            try (RawWebSocket ws = connect()) {
                ws.send(false, 0, BINARY, new byte[] {1, 2});
                ws.send(PING, utf8("in between"));
                ws.send(false, 0, CONTINUATION, new byte[] {3});
                ws.send(PONG, utf8("unsolicited, in between"));
                ws.send(true, 0, CONTINUATION, new byte[] {4});
                Frame pong = ws.read();
                assertThat(pong.opcode()).isEqualTo(PONG);
                assertThat(pong.text()).isEqualTo("in between");
                ws.expectEcho(BINARY, new byte[] {1, 2, 3, 4});
            }
        }

        @Test
        void messageInManyFragmentsIsEchoed() {
            try (RawWebSocket ws = connect()) {
                byte[] payload = randomBytes(100_000, 5);
                int step = 1000;
                for (int i = 0; i < payload.length; i += step) {
                    boolean first = i == 0;
                    boolean last = i + step >= payload.length;
                    ws.send(last, 0, first ? BINARY : CONTINUATION, Arrays.copyOfRange(payload, i, i + step));
                }
                ws.expectEcho(BINARY, payload);
            }
        }

        @Test
        void continuationWithoutAStartFailsWith1002() {
            try (RawWebSocket ws = connect()) {
                ws.send(true, 0, CONTINUATION, utf8("no start"));
                ws.expectClose(CloseCodes.PROTOCOL_ERROR);
            }
        }

        @Test
        void fragmentedPingFailsWith1002() {
            try (RawWebSocket ws = connect()) {
                ws.send(false, 0, PING, utf8("frag"));
                ws.send(true, 0, CONTINUATION, utf8("ment"));
                ws.expectClose(CloseCodes.PROTOCOL_ERROR);
            }
        }

        @Test
        void newMessageInsideAFragmentedOneFailsWith1002() {
            try (RawWebSocket ws = connect()) {
                ws.send(false, 0, TEXT, utf8("first "));
                ws.send(true, 0, TEXT, utf8("second"));
                ws.expectClose(CloseCodes.PROTOCOL_ERROR);
            }
        }
    }

    /** Group 6: UTF-8 is checked per frame, split code points are fine, invalid text fails with 1007. */
    @Nested
    class Utf8 {
        @Test
        void multiByteTextIsEchoed() {
            try (RawWebSocket ws = connect()) {
                byte[] text = utf8("κόσμε Hello-µ@ßöäüàá-UTF-8!! \uD83D\uDE00 \uFFFF \u0000");
                ws.send(TEXT, text);
                ws.expectEcho(TEXT, text);
            }
        }

        @Test
        void validTextSplitInsideCodePointsIsEchoed() {
            try (RawWebSocket ws = connect()) {
                byte[] text = utf8("\uD83D\uDE00κ"); // F0 9F 98 80 CE BA
                for (int i = 0; i < text.length; i++) {
                    ws.send(i == text.length - 1, 0, i == 0 ? TEXT : CONTINUATION, new byte[] {text[i]});
                }
                ws.expectEcho(TEXT, text);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "cebae1bdb9cf83cebcceb5eda080656469746564", // κόσμε + a UTF-16 surrogate (U+D800)
            "c0af", // overlong "/"
            "f4908080", // above U+10FFFF
            "80", // lone continuation byte
            "fe", // never valid
            "ce", // truncated at the end of the message
            "48656c6c6fedbfbf", // "Hello" + U+DFFF
        })
        void invalidTextFailsWith1007(String hex) {
            try (RawWebSocket ws = connect()) {
                ws.send(TEXT, HexFormat.of().parseHex(hex));
                ws.expectClose(CloseCodes.INVALID_PAYLOAD);
            }
        }

        @Test
        void invalidFragmentFailsAtOnceWithoutWaitingForTheEndOfTheMessage() {
            try (RawWebSocket ws = connect()) {
                ws.send(false, 0, TEXT, utf8("κόσμε"));
                ws.send(false, 0, CONTINUATION, HexFormat.of().parseHex("f4908080"));
                ws.expectClose(CloseCodes.INVALID_PAYLOAD);
            }
        }

        @Test
        void messageEndingInsideACodePointFailsWith1007() {
            try (RawWebSocket ws = connect()) {
                ws.send(false, 0, TEXT, HexFormat.of().parseHex("41ce"));
                ws.send(true, 0, CONTINUATION, new byte[0]);
                ws.expectClose(CloseCodes.INVALID_PAYLOAD);
            }
        }

        @Test
        void binaryIsNotCheckedForUtf8() {
            try (RawWebSocket ws = connect()) {
                byte[] notUtf8 = HexFormat.of().parseHex("c0affe80");
                ws.send(BINARY, notUtf8);
                ws.expectEcho(BINARY, notUtf8);
            }
        }
    }

    /** Group 7: the closing handshake and close-frame validation. */
    @Nested
    class Closing {
        @ParameterizedTest
        @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999})
        void validCloseCodeIsEchoed(int code) {
            try (RawWebSocket ws = connect()) {
                ws.sendClose(code, utf8("bye"));
                ws.expectClose(code);
            }
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999})
        void invalidCloseCodeFailsWith1002(int code) {
            try (RawWebSocket ws = connect()) {
                ws.sendClose(code, new byte[0]);
                ws.expectFailure(CloseCodes.PROTOCOL_ERROR);
            }
        }

        @Test
        void emptyCloseIsAnsweredWithNormalClosure() {
            try (RawWebSocket ws = connect()) {
                ws.send(CLOSE, new byte[0]);
                ws.expectClose(CloseCodes.NORMAL);
            }
        }

        @Test
        void closePayloadOfOneByteFailsWith1002() {
            try (RawWebSocket ws = connect()) {
                ws.send(CLOSE, new byte[] {0x03});
                ws.expectClose(CloseCodes.PROTOCOL_ERROR);
            }
        }

        @Test
        void closeReasonUpTo123BytesIsAcceptedAndLongerFailsWith1002() {
            try (RawWebSocket ws = connect()) {
                ws.sendClose(CloseCodes.NORMAL, utf8("*".repeat(123)));
                ws.expectClose(CloseCodes.NORMAL);
            }
            try (RawWebSocket ws = connect()) {
                ws.sendClose(CloseCodes.NORMAL, utf8("*".repeat(124)));
                ws.expectClose(CloseCodes.PROTOCOL_ERROR);
            }
        }

        @Test
        void closeReasonThatIsNotUtf8FailsWith1007() {
            try (RawWebSocket ws = connect()) {
                ws.sendClose(CloseCodes.NORMAL, HexFormat.of().parseHex("cebae1bdb9cf83cebcceb5eda080656469746564"));
                ws.expectFailure(CloseCodes.INVALID_PAYLOAD);
            }
        }

        @Test
        void framesAfterTheCloseAreIgnored() {
            try (RawWebSocket ws = connect()) {
                // in one write, so that the server reads them together with the close
                ws.write(ws.frame(true, 0, CLOSE, new byte[] {0x03, (byte) 0xE8}),
                        ws.frame(true, 0, TEXT, utf8("too late")),
                        ws.frame(true, 0, PING, utf8("too late")),
                        ws.frame(true, 0, CLOSE, new byte[] {0x03, (byte) 0xE9}));
                ws.expectClose(CloseCodes.NORMAL);
            }
        }

        @Test
        void closeInsideAFragmentedMessageIsAnswered() {
            try (RawWebSocket ws = connect()) {
                ws.send(false, 0, TEXT, utf8("unfinished"));
                ws.sendClose(CloseCodes.NORMAL, new byte[0]);
                ws.expectClose(CloseCodes.NORMAL);
            }
        }
    }
}
