package io.herald.server.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes an input that {@link ClientScript} reads back as the connection and actions given, and
 * keeps the actions it meant. It lays bytes out as Jazzer's {@code FuzzedDataProvider} reads them
 * ({@link #read} does the same, in Java): byte strings from the front, numbers from the back, a
 * number in as few bytes as its range needs, most significant first.
 */
final class SeedWriter {
    private final ByteArrayOutputStream front = new ByteArrayOutputStream();
    /** In the order they are read, that is from the last byte of the input backwards. */
    private final ByteArrayOutputStream back = new ByteArrayOutputStream();
    private final List<ClientAction> actions = new ArrayList<>();

    SeedWriter(String initialChannel, String token) {
        pick(ClientScript.INITIAL_CHANNELS.indexOf(initialChannel), ClientScript.INITIAL_CHANNELS.size() - 1);
        pick(Tokens.CHOICES.indexOf(token), Tokens.CHOICES.size() - 1);
    }

    SeedWriter text(String json) {
        return text(json.getBytes(StandardCharsets.UTF_8), -1);
    }

    /** Any bytes as a text frame, written in two pieces cut at {@code cut} when it is 0 or more. */
    SeedWriter text(byte[] payload, int cut) {
        kind(ClientScript.Kind.TEXT);
        bytes(payload, ClientScript.MAX_PAYLOAD);
        return send(ClientScript.Kind.TEXT, ClientFrames.frame(ClientFrames.TEXT, true, payload, ClientScript.MASK), cut);
    }

    SeedWriter fragmented(byte[] payload, int pieces, boolean binary, boolean pingInside) {
        kind(ClientScript.Kind.FRAGMENTED);
        bytes(payload, ClientScript.MAX_PAYLOAD);
        pick(pieces - 1, ClientScript.MAX_PIECES - 1);
        flag(binary);
        flag(pingInside);
        return send(ClientScript.Kind.FRAGMENTED, ClientScript.fragmented(payload, pieces, binary, pingInside), -1);
    }

    SeedWriter control(int opcode, byte[] payload) {
        kind(ClientScript.Kind.CONTROL);
        pick(ClientScript.CONTROL_OPCODES.indexOf(opcode), ClientScript.CONTROL_OPCODES.size() - 1);
        bytes(payload, ClientScript.MAX_CONTROL_PAYLOAD);
        return send(ClientScript.Kind.CONTROL, ClientFrames.frame(opcode, true, payload, ClientScript.MASK), -1);
    }

    SeedWriter binary(byte[] payload) {
        kind(ClientScript.Kind.BINARY);
        bytes(payload, ClientScript.MAX_PAYLOAD);
        return send(ClientScript.Kind.BINARY, ClientFrames.frame(ClientFrames.BINARY, true, payload, ClientScript.MASK), -1);
    }

    SeedWriter oddFrame(boolean fin, int rsv, int opcode, boolean masked, ClientFrames.LengthForm form,
            ClientScript.Length length, byte[] payload) {
        kind(ClientScript.Kind.ODD_FRAME);
        flag(fin);
        pick(rsv, 7);
        pick(opcode, 15);
        flag(masked);
        pick(form.ordinal(), ClientFrames.LengthForm.values().length - 1);
        pick(length.ordinal(), ClientScript.Length.values().length - 1);
        bytes(payload, ClientScript.MAX_PAYLOAD);
        if (length != ClientScript.Length.EXACT) {
            throw new UnsupportedOperationException("only exact lengths in seeds");
        }
        return send(ClientScript.Kind.ODD_FRAME,
                ClientFrames.frame(fin, rsv, opcode, masked, ClientScript.MASK, form, payload.length, payload), -1);
    }

    SeedWriter raw(byte[] bytes) {
        kind(ClientScript.Kind.RAW);
        bytes(bytes, ClientScript.MAX_PAYLOAD);
        return send(ClientScript.Kind.RAW, bytes, -1);
    }

    SeedWriter flood(int times, String json) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        kind(ClientScript.Kind.FLOOD);
        pick(times - 1, ClientScript.MAX_FLOOD - 1);
        bytes(payload, ClientScript.MAX_FLOOD_PAYLOAD);
        return send(ClientScript.Kind.FLOOD, ClientScript.flood(times, payload), -1);
    }

    /** A {@link ClientScript.Kind#CONTROLS} action of these frames, in one write. */
    SeedWriter controls(ControlSequence.Frame... frames) {
        kind(ClientScript.Kind.CONTROLS);
        pick(frames.length - 1, ControlSequence.MAX_STEPS - 1);
        for (ControlSequence.Frame f : frames) {
            pick(f.step().ordinal(), ControlSequence.Step.values().length - 1);
            switch (f.step()) {
                case PING, PONG, FRAGMENTED_CONTROL -> {
                    if (f.step() == ControlSequence.Step.FRAGMENTED_CONTROL) {
                        pick(ClientScript.CONTROL_OPCODES.indexOf(f.opcode()), ClientScript.CONTROL_OPCODES.size() - 1);
                    }
                    bytes(f.payload(), ControlSequence.MAX_CONTROL);
                }
                case CLOSE -> {
                    pick(f.body().ordinal(), ControlSequence.CloseBody.values().length - 1);
                    switch (f.body()) {
                        case CODE_AND_REASON -> {
                            pick(ControlSequence.CLOSE_CODES.indexOf(f.code()), ControlSequence.CLOSE_CODES.size() - 1);
                            bytes(f.payload(), ControlSequence.MAX_CLOSE_REASON);
                        }
                        case EMPTY -> {
                        }
                        case ONE_BYTE -> pick(f.payload()[0] & 0xFF, 255);
                    }
                }
                case OVERSIZED_CONTROL -> {
                    pick(ClientScript.CONTROL_OPCODES.indexOf(f.opcode()), ClientScript.CONTROL_OPCODES.size() - 1);
                    int extra = ControlSequence.MAX_OVERSIZED - ControlSequence.MAX_CONTROL - 1;
                    pick(f.payload().length - ControlSequence.MAX_CONTROL - 1, extra);
                }
                case TEXT_FIRST, CONTINUATION, LAST_CONTINUATION -> bytes(f.payload(), ControlSequence.MAX_FRAGMENT);
                case WHOLE_TEXT -> {
                }
            }
        }
        List<ControlSequence.Frame> list = List.of(frames);
        byte[] bytes = ControlSequence.bytes(list);
        flag(false);
        int close = ControlSequence.mustClose(list);
        actions.add(close < 0 ? new ClientAction.Send(ClientScript.Kind.CONTROLS.name(), bytes, -1)
                : new ClientAction.SendRefused(ClientScript.Kind.CONTROLS.name(), bytes, -1, close));
        return this;
    }

    SeedWriter pings(int times, byte[] payload, boolean json) {
        kind(ClientScript.Kind.PINGS);
        pick(times - 1, ClientScript.MAX_PINGS - 1);
        bytes(payload, ControlSequence.MAX_CONTROL);
        flag(json);
        return send(ClientScript.Kind.PINGS, ClientScript.pings(times, payload, json), -1);
    }

    SeedWriter reading(boolean reading) {
        kind(ClientScript.Kind.READING);
        flag(reading);
        actions.add(new ClientAction.Reading(reading));
        return this;
    }

    SeedWriter await(Duration d) {
        kind(ClientScript.Kind.WAIT);
        pick(ClientScript.WAITS.indexOf(d), ClientScript.WAITS.size() - 1);
        actions.add(new ClientAction.Wait(d));
        return this;
    }

    /** The actions this input means. */
    List<ClientAction> actions() {
        return List.copyOf(actions);
    }

    byte[] toByteArray() {
        byte[] f = front.toByteArray();
        byte[] b = back.toByteArray();
        byte[] input = Arrays.copyOf(f, f.length + b.length);
        for (int i = 0; i < b.length; i++) {
            input[input.length - 1 - i] = b[i];
        }
        return input;
    }

    /** Reads {@code input} as {@code FuzzedDataProvider} does. */
    static FuzzInput read(byte[] input) {
        return new FuzzInput() {
            private int start;
            private int end = input.length;

            @Override
            public int pick(int max) {
                long result = 0;
                for (int offset = 0; offset < 32 && (max >> offset) > 0 && end > start; offset += 8) {
                    result = result << 8 | input[--end] & 0xFF;
                }
                return (int) (result % ((long) max + 1));
            }

            @Override
            public byte[] bytes(int maxLength) {
                int n = Math.min(pick(maxLength), end - start);
                start += n;
                return Arrays.copyOfRange(input, start - n, start);
            }

            @Override
            public boolean exhausted() {
                return start == end;
            }
        };
    }

    private SeedWriter send(ClientScript.Kind kind, byte[] bytes, int cut) {
        flag(cut >= 0);
        if (cut >= 0) {
            pick(cut, bytes.length);
        }
        actions.add(new ClientAction.Send(kind.name(), bytes, cut));
        return this;
    }

    private void kind(ClientScript.Kind kind) {
        pick(kind.ordinal(), ClientScript.Kind.values().length - 1);
    }

    private void flag(boolean value) {
        pick(value ? 1 : 0, 1);
    }

    private void bytes(byte[] b, int maxLength) {
        if (b.length > maxLength) {
            throw new IllegalArgumentException(b.length + " bytes, more than " + maxLength);
        }
        pick(b.length, maxLength);
        front.writeBytes(b);
    }

    private void pick(int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(value + " is not in 0.." + max);
        }
        int bytes = 0;
        while (bytes < 4 && max >>> 8 * bytes != 0) {
            bytes++;
        }
        for (int i = bytes - 1; i >= 0; i--) {
            back.write(value >>> 8 * i);
        }
    }
}
