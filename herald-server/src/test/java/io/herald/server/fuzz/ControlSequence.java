package io.herald.server.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A run of control frames (RFC 6455 §5.5) interleaved with the fragments of text messages, sent in
 * one write: pings and pongs with 0 to 125 bytes, close frames with odd codes and bodies, control
 * frames a server must refuse with 1002 (over 125 bytes, or fragmented), and text fragments in any
 * order, so a control frame can fall inside a fragmented message, as RFC 6455 allows, and a
 * fragment can come where none is open, as it does not. {@link SeedWriter#controls} writes inputs
 * that read back as a given sequence.
 */
final class ControlSequence {
    static final int MAX_STEPS = 12;
    /** The most a control frame may carry. */
    static final int MAX_CONTROL = 125;
    /** Past the 123 bytes of reason a close frame has room for. */
    static final int MAX_CLOSE_REASON = 130;
    static final int MAX_OVERSIZED = 300;
    static final int MAX_FRAGMENT = 64;
    /** Valid codes, codes RFC 6455 reserves (1004–1006, 1015, 1016 up to 2999) or forbids on the wire, and out of range. */
    static final List<Integer> CLOSE_CODES = List.of(1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010,
            1011, 1012, 1013, 1014, 1015, 1016, 999, 0, 2999, 3000, 3999, 4000, 4001, 4002, 4003, 4999, 5000, 65535);
    static final byte[] WHOLE_TEXT = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);

    enum Step {
        PING, PONG, CLOSE,
        /** A ping, pong or close of 126 bytes or more: the server must close with 1002. */
        OVERSIZED_CONTROL,
        /** A ping, pong or close without FIN: the server must close with 1002. */
        FRAGMENTED_CONTROL,
        /** A text frame without FIN: a message begins. */
        TEXT_FIRST,
        /** A continuation without FIN. */
        CONTINUATION,
        /** A continuation with FIN: the message ends. */
        LAST_CONTINUATION,
        /** {@code {"type":"ping"}} in one text frame; inside a fragmented message, a protocol error. */
        WHOLE_TEXT
    }

    /** How a close frame's body is made. */
    enum CloseBody {
        /** A 2-byte code, then the payload as the reason (maybe not UTF-8, maybe too long). */
        CODE_AND_REASON,
        EMPTY,
        /** One byte: too short for a code. */
        ONE_BYTE
    }

    /**
     * One frame of the sequence.
     *
     * @param opcode  for the control steps
     * @param code    the close code of {@link CloseBody#CODE_AND_REASON}
     * @param payload the payload, or the reason of a close, or the one byte of {@link CloseBody#ONE_BYTE}
     */
    record Frame(Step step, int opcode, CloseBody body, int code, byte[] payload) {
        static Frame read(FuzzInput in) {
            Step step = in.pick(List.of(Step.values()));
            return switch (step) {
                case PING -> new Frame(step, ClientFrames.PING, null, 0, in.bytes(MAX_CONTROL));
                case PONG -> new Frame(step, ClientFrames.PONG, null, 0, in.bytes(MAX_CONTROL));
                case CLOSE -> {
                    CloseBody body = in.pick(List.of(CloseBody.values()));
                    yield switch (body) {
                        case CODE_AND_REASON -> new Frame(step, ClientFrames.CLOSE, body, in.pick(CLOSE_CODES),
                                in.bytes(MAX_CLOSE_REASON));
                        case EMPTY -> new Frame(step, ClientFrames.CLOSE, body, 0, new byte[0]);
                        case ONE_BYTE -> new Frame(step, ClientFrames.CLOSE, body, 0, new byte[] {(byte) in.pick(255)});
                    };
                }
                case OVERSIZED_CONTROL -> {
                    int opcode = in.pick(ClientScript.CONTROL_OPCODES);
                    byte[] payload = new byte[MAX_CONTROL + 1 + in.pick(MAX_OVERSIZED - MAX_CONTROL - 1)];
                    Arrays.fill(payload, (byte) 'x');
                    yield new Frame(step, opcode, null, 0, payload);
                }
                case FRAGMENTED_CONTROL -> new Frame(step, in.pick(ClientScript.CONTROL_OPCODES), null, 0,
                        in.bytes(MAX_CONTROL));
                case TEXT_FIRST, CONTINUATION, LAST_CONTINUATION -> new Frame(step, 0, null, 0, in.bytes(MAX_FRAGMENT));
                case WHOLE_TEXT -> new Frame(step, ClientFrames.TEXT, null, 0, WHOLE_TEXT);
            };
        }

        byte[] bytes() {
            int mask = ClientScript.MASK;
            return switch (step) {
                case PING, PONG, OVERSIZED_CONTROL, WHOLE_TEXT -> ClientFrames.frame(opcode, true, payload, mask);
                case CLOSE -> ClientFrames.frame(ClientFrames.CLOSE, true,
                        body == CloseBody.CODE_AND_REASON ? ClientFrames.closeBody(code, payload) : payload, mask);
                case FRAGMENTED_CONTROL -> ClientFrames.frame(opcode, false, payload, mask);
                case TEXT_FIRST -> ClientFrames.frame(ClientFrames.TEXT, false, payload, mask);
                case CONTINUATION -> ClientFrames.frame(ClientFrames.CONTINUATION, false, payload, mask);
                case LAST_CONTINUATION -> ClientFrames.frame(ClientFrames.CONTINUATION, true, payload, mask);
            };
        }
    }

    private ControlSequence() {
    }

    static List<Frame> read(FuzzInput in) {
        int steps = 1 + in.pick(MAX_STEPS - 1);
        List<Frame> frames = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            frames.add(Frame.read(in));
        }
        return frames;
    }

    static byte[] bytes(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(f -> out.writeBytes(f.bytes()));
        return out.toByteArray();
    }

    /**
     * The close code the server must answer with whatever follows: 1002 when the first frame is a
     * control frame it must refuse (RFC 6455 §5.5: at most 125 bytes, never fragmented); else -1,
     * as what comes before a refused frame may end the connection another way first.
     */
    static int mustClose(List<Frame> frames) {
        Step first = frames.get(0).step();
        return first == Step.OVERSIZED_CONTROL || first == Step.FRAGMENTED_CONTROL ? 1002 : -1;
    }
}
