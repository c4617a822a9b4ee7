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
                        CloseCodes.PROTOCOL_ERROR));
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
