package io.herald.server.fuzz;

import io.herald.CloseCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The inputs the fuzzer starts from (and replays without {@code JAZZER_FUZZ}), each with how its
 * connection ends. {@code SeedsTest} checks that the committed files are these and end so.
 *
 * <pre>
 * java ... io.herald.server.fuzz.Seeds write src/test/resources/io/herald/server/fuzz/ProtocolFuzzTestInputs/everyInputGetsADefinedAnswer
 * java ... io.herald.server.fuzz.Seeds describe target/jazzer/crash-...   # what a found input does
 * </pre>
 */
final class Seeds {
    /** Where Jazzer looks for the inputs of {@link ProtocolFuzzTest#everyInputGetsADefinedAnswer}. */
    static final String RESOURCE_DIR = "ProtocolFuzzTestInputs/everyInputGetsADefinedAnswer";
    /** The connection is still open at the end. */
    static final int OPEN = -1;

    /** @param closeCode the server's close code, {@link #OPEN}, or 0 when it drops the connection without one */
    record Seed(String name, SeedWriter input, int closeCode) {
    }

    private Seeds() {
    }

    static List<Seed> all() {
        return List.of(
                new Seed("commands", new SeedWriter(null, Tokens.ALICE)
                        .text("{\"type\":\"subscribe\",\"id\":1,\"channel\":\"room:1\"}")
                        .text("{\"type\":\"publish\",\"id\":2,\"channel\":\"room:1\",\"event\":\"progress\",\"data\":{\"pct\":5}}")
                        .await(Duration.ofMillis(100))
                        .text("{\"type\":\"subscribe\",\"id\":\"s\",\"channel\":\"room:2\",\"events\":[\"done\"],\"since\":{\"epoch\":\"e\",\"offset\":0}}")
                        .text("{\"type\":\"unsubscribe\",\"id\":3,\"channel\":\"room:1\"}")
                        .text("{\"type\":\"ping\",\"id\":\"p\"}")
                        .text("{\"type\":\"pong\"}"), OPEN),
                new Seed("connect-frame", new SeedWriter("room:1", null)
                        .text("{\"type\":\"connect\",\"id\":1,\"token\":\"" + Tokens.ALICE + "\"}")
                        .text("{\"type\":\"publish\",\"channel\":\"user:alice\",\"event\":\"done\",\"key\":\"k\",\"critical\":true,\"final\":true}")
                        .text("{\"type\":\"connect\",\"token\":\"" + Tokens.GARBAGE + "\"}"), CloseCodes.UNAUTHORIZED),
                new Seed("expired-upgrade-token", new SeedWriter("room:1", Tokens.EXPIRED), CloseCodes.UNAUTHORIZED),
                new Seed("forbidden-then-expired", new SeedWriter("room:1", Tokens.BOB)
                        .text("{\"type\":\"subscribe\",\"id\":1,\"channel\":\"news\"}")
                        .text("{\"type\":\"publish\",\"id\":2,\"channel\":\"room:1\",\"event\":\"progress\"}")
                        .text("{\"type\":\"subscribe\",\"id\":3,\"channel\":\"user:alice\"}")
                        .await(Duration.ofSeconds(21)), CloseCodes.UNAUTHORIZED),
                new Seed("malformed-json", new SeedWriter(null, null)
                        .text("{\"type\":\"subscribe\"")
                        .text("[1,2]")
                        .text("{\"type\":42}")
                        .text("{\"type\":\"nope\",\"id\":{}}")
                        .text("{\"type\":\"ping\",\"id\":1.5}")
                        .text("{\"type\":\"subscribe\",\"channel\":\"bad name\"}")
                        .text("{\"type\":\"subscribe\",\"channel\":\"room:1\",\"since\":{\"epoch\":\"e\",\"offset\":-1}}")
                        .text("{\"type\":\"subscribe\",\"channel\":\"room:1\",\"events\":[1]}")
                        .text("{\"type\":\"publish\",\"channel\":\"room:1\"}")
                        .text("{\"type\":\"ping\"} trailing")
                        .binary("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8)), OPEN),
                new Seed("fragmented", new SeedWriter(null, null)
                        .fragmented("{\"type\":\"ping\",\"id\":7}".getBytes(StandardCharsets.UTF_8), 3, false, true)
                        .fragmented(new byte[] {1, 2, 3, 4}, 2, true, false)
                        .fragmented("{\"type\":\"ping\",\"id\":8}".getBytes(StandardCharsets.UTF_8), 10, false, false),
                        CloseCodes.MESSAGE_TOO_BIG),
                new Seed("invalid-utf8", new SeedWriter(null, null)
                        .text(bytes("{\"type\":\"ping\",\"id\":\"", 0xC3, 0x28, "\"}"), -1), CloseCodes.INVALID_PAYLOAD),
                new Seed("too-big", new SeedWriter(null, null)
                        .text("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(1100) + "\"}"), CloseCodes.MESSAGE_TOO_BIG),
                new Seed("flood", new SeedWriter(null, null)
                        .flood(40, "{\"type\":\"ping\"}"), CloseCodes.POLICY_VIOLATION),
                new Seed("silence", new SeedWriter("room:1", null)
                        .await(Duration.ofSeconds(5))
                        .await(Duration.ofSeconds(31)), CloseCodes.HEARTBEAT_TIMEOUT),
                new Seed("unmasked", new SeedWriter(null, null)
                        .oddFrame(true, 0, ClientFrames.TEXT, false, ClientFrames.LengthForm.SHORTEST,
                                ClientScript.Length.EXACT, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8)),
                        CloseCodes.PROTOCOL_ERROR),
                new Seed("long-length-form", new SeedWriter(null, null)
                        .oddFrame(true, 0, ClientFrames.TEXT, true, ClientFrames.LengthForm.SIXTY_FOUR_BITS,
                                ClientScript.Length.EXACT, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8)),
                        CloseCodes.PROTOCOL_ERROR),
                // found by the fuzzer, fixed since: reserved bits were read as plain frames
                new Seed("reserved-bits", new SeedWriter(null, null)
                        .oddFrame(true, 4, ClientFrames.TEXT, true, ClientFrames.LengthForm.SHORTEST,
                                ClientScript.Length.EXACT, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8)),
                        CloseCodes.PROTOCOL_ERROR),
                // found by the fuzzer, fixed since: a connection ending mid-message was an internal error
                new Seed("client-leaves-mid-message", new SeedWriter(null, null)
                        .oddFrame(false, 0, ClientFrames.TEXT, true, ClientFrames.LengthForm.SHORTEST,
                                ClientScript.Length.EXACT, "{\"type\":".getBytes(StandardCharsets.UTF_8)), OPEN),
                new Seed("reserved-opcode", new SeedWriter(null, null)
                        .oddFrame(true, 0, 0x3, true, ClientFrames.LengthForm.SHORTEST, ClientScript.Length.EXACT,
                                new byte[] {1}), CloseCodes.PROTOCOL_ERROR),
                new Seed("control-frames", new SeedWriter(null, null)
                        .control(ClientFrames.PING, "hello".getBytes(StandardCharsets.UTF_8))
                        .control(ClientFrames.PONG, new byte[0])
                        .control(ClientFrames.PING, new byte[126]), CloseCodes.PROTOCOL_ERROR),
                new Seed("client-close", new SeedWriter(null, null)
                        .control(ClientFrames.CLOSE, ClientFrames.closeBody(CloseCodes.NORMAL, "bye")), CloseCodes.NORMAL),
                new Seed("client-close-bad-code", new SeedWriter(null, null)
                        .control(ClientFrames.CLOSE, ClientFrames.closeBody(999, "")), 0),
                new Seed("split-writes", new SeedWriter(null, null)
                        .text("{\"type\":\"ping\",\"id\":1}".getBytes(StandardCharsets.UTF_8), 1)
                        .text("{\"type\":\"ping\",\"id\":2}".getBytes(StandardCharsets.UTF_8), 12), OPEN),
                new Seed("http-request", new SeedWriter(null, null)
                        .raw("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                        CloseCodes.PROTOCOL_ERROR),
                // control frames inside a fragmented message are allowed (RFC 6455 §5.4): answered, message intact
                new Seed("controls-inside-message", new SeedWriter("room:1", null)
                        .controls(ping(new byte[ControlSequence.MAX_CONTROL]),
                                fragment(ControlSequence.Step.TEXT_FIRST, "{\"type\":\"pi"),
                                pong(new byte[0]),
                                fragment(ControlSequence.Step.CONTINUATION, "ng\",\"id\""),
                                ping(new byte[0]),
                                fragment(ControlSequence.Step.LAST_CONTINUATION, ":9}")), OPEN),
                new Seed("oversized-pong", new SeedWriter(null, null)
                        .controls(new ControlSequence.Frame(ControlSequence.Step.OVERSIZED_CONTROL, ClientFrames.PONG, null, 0,
                                "x".repeat(200).getBytes(StandardCharsets.US_ASCII))), CloseCodes.PROTOCOL_ERROR),
                new Seed("fragmented-ping", new SeedWriter(null, null)
                        .controls(new ControlSequence.Frame(ControlSequence.Step.FRAGMENTED_CONTROL, ClientFrames.PING, null, 0,
                                new byte[] {1, 2, 3}), fragment(ControlSequence.Step.LAST_CONTINUATION, "x")),
                        CloseCodes.PROTOCOL_ERROR),
                new Seed("text-inside-message", new SeedWriter(null, null)
                        .controls(fragment(ControlSequence.Step.TEXT_FIRST, "{\"type\""),
                                new ControlSequence.Frame(ControlSequence.Step.WHOLE_TEXT, ClientFrames.TEXT, null, 0,
                                        ControlSequence.WHOLE_TEXT)), CloseCodes.PROTOCOL_ERROR),
                new Seed("continuation-without-message", new SeedWriter(null, null)
                        .controls(fragment(ControlSequence.Step.LAST_CONTINUATION, "{}")), CloseCodes.PROTOCOL_ERROR),
                new Seed("close-application-code", new SeedWriter(null, null)
                        .controls(close(4002, "x".getBytes(StandardCharsets.US_ASCII)), ping(new byte[] {7})), 4002),
                new Seed("close-code-not-for-the-wire", new SeedWriter(null, null)
                        .controls(close(1005, new byte[0])), 0),
                new Seed("close-one-byte", new SeedWriter(null, null)
                        .controls(new ControlSequence.Frame(ControlSequence.Step.CLOSE, ClientFrames.CLOSE,
                                ControlSequence.CloseBody.ONE_BYTE, 0, new byte[] {3})), CloseCodes.PROTOCOL_ERROR),
                new Seed("close-reason-not-utf8", new SeedWriter(null, null)
                        .controls(close(CloseCodes.NORMAL, new byte[] {(byte) 0xC3, 0x28})), 0),
                new Seed("close-reason-too-long", new SeedWriter(null, null)
                        .controls(close(CloseCodes.NORMAL, new byte[ControlSequence.MAX_CONTROL - 1])), CloseCodes.PROTOCOL_ERROR),
                // within the inbound rate, every ping is answered, read or not
                new Seed("pings-not-reading", new SeedWriter("room:1", null)
                        .reading(false)
                        .pings(16, new byte[ControlSequence.MAX_CONTROL], false)
                        .await(Duration.ofSeconds(1))
                        .pings(16, new byte[0], false)
                        .reading(true), OPEN),
                // control frames count against the inbound rate too: a ping flood is closed like a text flood
                new Seed("ping-flood", new SeedWriter(null, null)
                        .pings(ClientScript.MAX_PINGS, new byte[] {1}, false), CloseCodes.POLICY_VIOLATION),
                new Seed("json-pings-not-reading", new SeedWriter(null, null)
                        .reading(false)
                        .pings(40, new byte[0], true), CloseCodes.POLICY_VIOLATION));
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("write")) {
            Path dir = Files.createDirectories(Path.of(args[1]));
            for (Seed s : all()) {
                Files.write(dir.resolve(s.name()), s.input().toByteArray());
            }
        } else if (args.length >= 2 && args[0].equals("describe")) {
            for (int i = 1; i < args.length; i++) {
                FuzzInput in = SeedWriter.read(Files.readAllBytes(Path.of(args[i])));
                System.out.println(args[i] + ": /ws/" + ClientScript.initialChannel(in) + " token "
                        + ClientScript.upgradeToken(in));
                while (!in.exhausted()) {
                    System.out.println("  " + ClientScript.next(in));
                }
            }
        } else {
            System.err.println("usage: Seeds write <dir> | Seeds describe <input>...");
        }
    }

    private static ControlSequence.Frame ping(byte[] payload) {
        return new ControlSequence.Frame(ControlSequence.Step.PING, ClientFrames.PING, null, 0, payload);
    }

    private static ControlSequence.Frame pong(byte[] payload) {
        return new ControlSequence.Frame(ControlSequence.Step.PONG, ClientFrames.PONG, null, 0, payload);
    }

    private static ControlSequence.Frame close(int code, byte[] reason) {
        return new ControlSequence.Frame(ControlSequence.Step.CLOSE, ClientFrames.CLOSE,
                ControlSequence.CloseBody.CODE_AND_REASON, code, reason);
    }

    private static ControlSequence.Frame fragment(ControlSequence.Step step, String text) {
        return new ControlSequence.Frame(step, 0, null, 0, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Text and single bytes, concatenated: for payloads that are not UTF-8. */
    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }
}
