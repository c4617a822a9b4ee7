package io.herald.server.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Client-to-server WebSocket frames as bytes (RFC 6455 §5.2), including frames a correct client
 * never sends: reserved bits, unknown opcodes, no mask, a declared length that is not the payload's.
 */
final class ClientFrames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** How the payload length is written: the shortest form (as RFC 6455 requires) or a longer one. */
    enum LengthForm {
        SHORTEST, SIXTEEN_BITS, SIXTY_FOUR_BITS
    }

    private ClientFrames() {
    }

    /** A well-formed masked frame. */
    static byte[] frame(int opcode, boolean fin, byte[] payload, int maskKey) {
        return frame(fin, 0, opcode, true, maskKey, LengthForm.SHORTEST, payload.length, payload);
    }

    /** A single masked text frame holding {@code text} in UTF-8. */
    static byte[] text(String text, int maskKey) {
        return frame(TEXT, true, text.getBytes(StandardCharsets.UTF_8), maskKey);
    }

    /** A close frame body: a 2-byte status code, then the reason in UTF-8. */
    static byte[] closeBody(int code, String reason) {
        return closeBody(code, reason.getBytes(StandardCharsets.UTF_8));
    }

    /** A close frame body: a 2-byte status code, then {@code r} as the reason, UTF-8 or not. */
    static byte[] closeBody(int code, byte[] r) {
        byte[] body = new byte[2 + r.length];
        body[0] = (byte) (code >> 8);
        body[1] = (byte) code;
        System.arraycopy(r, 0, body, 2, r.length);
        return body;
    }

    /**
     * Any frame: the header says {@code declaredLength} in {@code form}, then the payload follows
     * (masked with {@code maskKey} when {@code masked}), whatever its real length.
     */
    static byte[] frame(boolean fin, int rsv, int opcode, boolean masked, int maskKey, LengthForm form,
            long declaredLength, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | opcode & 0xF);
        int maskBit = masked ? 0x80 : 0;
        LengthForm f = form == LengthForm.SHORTEST ? shortest(declaredLength) : form;
        switch (f) {
            case SHORTEST -> out.write(maskBit | (int) declaredLength);
            case SIXTEEN_BITS -> {
                out.write(maskBit | 126);
                writeBigEndian(out, declaredLength, 2);
            }
            case SIXTY_FOUR_BITS -> {
                out.write(maskBit | 127);
                writeBigEndian(out, declaredLength, 8);
            }
        }
        if (masked) {
            writeBigEndian(out, maskKey, 4);
            for (int i = 0; i < payload.length; i++) {
                out.write(payload[i] ^ maskKey >>> 8 * (3 - i % 4));
            }
        } else {
            out.write(payload, 0, payload.length);
        }
        return out.toByteArray();
    }

    private static LengthForm shortest(long length) {
        return length < 126 && length >= 0 ? LengthForm.SHORTEST
                : length < 65536 && length >= 0 ? LengthForm.SIXTEEN_BITS : LengthForm.SIXTY_FOUR_BITS;
    }

    private static void writeBigEndian(ByteArrayOutputStream out, long value, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (value >>> 8 * i));
        }
    }
}
