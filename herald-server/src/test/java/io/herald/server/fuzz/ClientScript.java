package io.herald.server.fuzz;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a client's behaviour from the fuzzer's input: how it connects, then one action after the
 * other. {@link SeedWriter} writes inputs for it, so the two change together.
 */
final class ClientScript {
    /** Past {@link FuzzConnection#CONFIG}'s message size, so one frame can be too big. */
    static final int MAX_PAYLOAD = 1200;
    /** Past the 125 bytes a control frame may carry. */
    static final int MAX_CONTROL_PAYLOAD = 130;
    /** Past {@link FuzzConnection#CONFIG}'s fragments per message. */
    static final int MAX_PIECES = 10;
    /** Past twice {@link FuzzConnection#CONFIG}'s inbound rate, so a flood can be closed with 1008. */
    static final int MAX_FLOOD = 40;
    static final int MAX_FLOOD_PAYLOAD = 64;
    /** Pings in one write: protocol pings have no rate limit, so many. */
    static final int MAX_PINGS = 200;
    static final int MASK = 0x5A3C96E1;
    static final List<String> INITIAL_CHANNELS = Arrays.asList(null, "room:1", "user:bob");
    /** Up to past the heartbeat timeout (30 s) and Bob's token (20 s). */
    static final List<Duration> WAITS = List.of(Duration.ofMillis(1), Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofSeconds(5), Duration.ofSeconds(21), Duration.ofSeconds(31), Duration.ofSeconds(60));
    static final List<Integer> CONTROL_OPCODES = List.of(ClientFrames.PING, ClientFrames.PONG, ClientFrames.CLOSE);

    enum Kind {
        /** A JSON command built from the protocol's vocabulary ({@link CommandJson}). */
        COMMAND,
        /** Any bytes as one text frame. */
        TEXT,
        /** A text or binary message in several frames, maybe with a ping between them. */
        FRAGMENTED,
        /** A ping, pong or close frame with any payload. */
        CONTROL,
        BINARY,
        /** Any header bits, opcode, mask flag and length form; a declared length that may lie. */
        ODD_FRAME,
        /** Bytes that need not be frames at all. */
        RAW,
        WAIT,
        /** The same text frame many times in one write. */
        FLOOD,
        /** Control frames, odd and refused ones included, interleaved with text fragments ({@link ControlSequence}). */
        CONTROLS,
        /** Many pings in one write: protocol pings with one payload, or {@code {"type":"ping"}} frames. */
        PINGS,
        /** The client stops reading, so the server's socket is not writable, or reads again. */
        READING
    }

    /** Declared lengths of an odd frame. */
    enum Length {
        EXACT, ONE_SHORT, ONE_LONG, SIXTEEN_BIT_OVERFLOW, MAX, NEGATIVE
    }

    private ClientScript() {
    }

    static String initialChannel(FuzzInput in) {
        return in.pick(INITIAL_CHANNELS);
    }

    static String upgradeToken(FuzzInput in) {
        return in.pick(Tokens.CHOICES);
    }

    static ClientAction next(FuzzInput in) {
        Kind kind = in.pick(List.of(Kind.values()));
        if (kind == Kind.WAIT) {
            return new ClientAction.Wait(in.pick(WAITS));
        }
        if (kind == Kind.READING) {
            return new ClientAction.Reading(in.flag());
        }
        if (kind == Kind.CONTROLS) {
            List<ControlSequence.Frame> frames = ControlSequence.read(in);
            byte[] bytes = ControlSequence.bytes(frames);
            int cut = in.flag() ? in.pick(bytes.length) : -1;
            int close = ControlSequence.mustClose(frames);
            return close < 0 ? new ClientAction.Send(kind.name(), bytes, cut)
                    : new ClientAction.SendRefused(kind.name(), bytes, cut, close);
        }
        byte[] bytes = switch (kind) {
            case COMMAND -> ClientFrames.frame(ClientFrames.TEXT, true, CommandJson.read(in), MASK);
            case TEXT -> ClientFrames.frame(ClientFrames.TEXT, true, in.bytes(MAX_PAYLOAD), MASK);
            case FRAGMENTED -> fragmented(in.bytes(MAX_PAYLOAD), 1 + in.pick(MAX_PIECES - 1), in.flag(), in.flag());
            case CONTROL -> ClientFrames.frame(in.pick(CONTROL_OPCODES), true, in.bytes(MAX_CONTROL_PAYLOAD), MASK);
            case BINARY -> ClientFrames.frame(ClientFrames.BINARY, true, in.bytes(MAX_PAYLOAD), MASK);
            case ODD_FRAME -> oddFrame(in);
            case RAW -> in.bytes(MAX_PAYLOAD);
            case FLOOD -> flood(1 + in.pick(MAX_FLOOD - 1), in.bytes(MAX_FLOOD_PAYLOAD));
            case PINGS -> pings(1 + in.pick(MAX_PINGS - 1), in.bytes(ControlSequence.MAX_CONTROL), in.flag());
            case WAIT, READING, CONTROLS -> throw new IllegalStateException();
        };
        int cut = in.flag() ? in.pick(bytes.length) : -1;
        return new ClientAction.Send(kind.name(), bytes, cut);
    }

    /** {@code payload} in {@code pieces} frames of about equal size. */
    static byte[] fragmented(byte[] payload, int pieces, boolean binary, boolean pingInside) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < pieces; i++) {
            byte[] piece = Arrays.copyOfRange(payload, i * payload.length / pieces, (i + 1) * payload.length / pieces);
            int opcode = i > 0 ? ClientFrames.CONTINUATION : binary ? ClientFrames.BINARY : ClientFrames.TEXT;
            out.writeBytes(ClientFrames.frame(opcode, i == pieces - 1, piece, MASK));
            if (pingInside && i == 0) {
                out.writeBytes(ClientFrames.frame(ClientFrames.PING, true, new byte[] {1, 2, 3}, MASK));
            }
        }
        return out.toByteArray();
    }

    static byte[] flood(int times, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] frame = ClientFrames.frame(ClientFrames.TEXT, true, payload, MASK);
        for (int i = 0; i < times; i++) {
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    /** {@code times} pings in one write: protocol pings carrying {@code payload}, or {@code {"type":"ping"}} text frames. */
    static byte[] pings(int times, byte[] payload, boolean json) {
        byte[] frame = json ? ClientFrames.text("{\"type\":\"ping\"}", MASK) : ClientFrames.frame(ClientFrames.PING, true, payload, MASK);
        ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length * times);
        for (int i = 0; i < times; i++) {
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    private static byte[] oddFrame(FuzzInput in) {
        boolean fin = in.flag();
        int rsv = in.pick(7);
        int opcode = in.pick(15);
        boolean masked = in.flag();
        ClientFrames.LengthForm form = in.pick(List.of(ClientFrames.LengthForm.values()));
        Length length = in.pick(List.of(Length.values()));
        byte[] payload = in.bytes(MAX_PAYLOAD);
        long declared = switch (length) {
            case EXACT -> payload.length;
            case ONE_SHORT -> Math.max(0, payload.length - 1);
            case ONE_LONG -> payload.length + 1;
            case SIXTEEN_BIT_OVERFLOW -> 65_536;
            case MAX -> Long.MAX_VALUE;
            case NEGATIVE -> Long.MIN_VALUE;
        };
        return ClientFrames.frame(fin, rsv, opcode, masked, MASK, form, declared, payload);
    }
}
