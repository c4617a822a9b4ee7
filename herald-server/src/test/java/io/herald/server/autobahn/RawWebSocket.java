package io.herald.server.autobahn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A WebSocket client over a plain blocking socket that writes frames byte by byte, so a test can
 * send what no well-behaved client would: reserved bits and opcodes, fragmented control frames,
 * broken UTF-8, bad close codes, frames split across writes. It speaks permessage-deflate by hand
 * (RFC 7692) with or without context takeover. Every read waits at most {@link #TIMEOUT_MILLIS}.
 * Not thread-safe: one test thread drives it.
 */
final class RawWebSocket implements AutoCloseable {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    static final int RSV1 = 0x4;
    static final int TIMEOUT_MILLIS = 5_000;
    private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    /** A frame as it came off the wire; {@code payload} is still compressed when {@code rsv} has RSV1. */
    record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xFF) << 8 | payload[1] & 0xFF : -1;
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Map<String, String> responseHeaders;
    private final Random masks = new Random(6455);
    private Deflater deflater;
    private final Inflater inflater = new Inflater(true);

    private RawWebSocket(Socket socket, DataInputStream in, Map<String, String> responseHeaders) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.responseHeaders = responseHeaders;
    }

    /** Opens {@code ws://127.0.0.1:port/}, offering {@code extensions} when it is not null. */
    static RawWebSocket connect(int port, String extensions) {
        return connect(port, "/", extensions);
    }

    /** Opens {@code ws://127.0.0.1:port<path>}, offering {@code extensions} when it is not null. */
    static RawWebSocket connect(int port, String path, String extensions) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            // RFC 6455 §4.1: the key is 16 bytes, base64-encoded (Herald refuses others with 400)
            String key = Base64.getEncoder().encodeToString("herald-conform16".getBytes(StandardCharsets.US_ASCII));
            StringBuilder req = new StringBuilder()
                    .append("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port)
                    .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                    .append("Sec-WebSocket-Key: ").append(key).append("\r\n");
            if (extensions != null) {
                req.append("Sec-WebSocket-Extensions: ").append(extensions).append("\r\n");
            }
            socket.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            String[] head = readHead(in).split("\r\n");
            assertThat(head[0]).as("handshake status line").startsWith("HTTP/1.1 101");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
            }
            return new RawWebSocket(socket, in, headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readHead(DataInputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake");
            }
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII).trim();
    }

    /** The {@code Sec-WebSocket-Extensions} the server answered, or "" when it accepted none. */
    String extensions() {
        return responseHeaders.getOrDefault("sec-websocket-extensions", "");
    }

    /** A masked frame with exactly these header bits. */
    private static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, int mask) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | opcode & 0xF);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        } else {
            f.write(0x80 | 127);
            long len = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) (len >>> shift));
            }
        }
        byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
        f.writeBytes(key);
        byte[] masked = payload.clone();
        for (int i = 0; i < masked.length; i++) {
            masked[i] ^= key[i & 3];
        }
        f.writeBytes(masked);
        return f.toByteArray();
    }

    void send(boolean fin, int rsv, int opcode, byte[] payload) {
        write(frame(fin, rsv, opcode, payload));
    }

    void send(int opcode, byte[] payload) {
        send(true, 0, opcode, payload);
    }

    void sendText(String text) {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes one frame in pieces of {@code chunk} bytes, each flushed on its own (TCP_NODELAY). */
    void sendInChunks(int opcode, byte[] payload, int chunk) {
        byte[] bytes = frame(true, 0, opcode, payload);
        for (int i = 0; i < bytes.length; i += chunk) {
            write(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk)));
        }
    }

    /** A close frame with {@code code} and {@code reason}. */
    void sendClose(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        send(CLOSE, payload);
    }

    /** A masked frame with a fresh mask, to write later, alone or with others in one {@link #write}. */
    byte[] frame(boolean fin, int rsv, int opcode, byte[] payload) {
        return frame(fin, rsv, opcode, payload, masks.nextInt());
    }

    /**
     * Writes {@code parts} in one go. A write the server refuses because it has already failed the
     * connection is dropped, as it would be for any client: the test then reads what the server sent
     * before closing.
     */
    void write(byte[]... parts) {
        try {
            for (byte[] part : parts) {
                out.write(part);
            }
            out.flush();
        } catch (SocketException e) {
            // broken pipe or reset: the server has closed; its close frame is still in our receive buffer
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compresses {@code message} (RFC 7692 §7.2.1) and sends it in {@code fragments} frames, RSV1 on
     * the first. Each fragment is flushed on its own, so each inflates to its share of the message.
     * With {@code contextTakeover} false every message starts from a fresh compressor.
     */
    void sendCompressed(int opcode, byte[] message, boolean contextTakeover, int fragments) {
        if (deflater != null && !contextTakeover) {
            deflater.end();
            deflater = null;
        }
        if (deflater == null) {
            deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        }
        int step = (message.length + fragments - 1) / fragments;
        for (int i = 0; i < fragments; i++) {
            boolean last = i == fragments - 1;
            byte[] part = Arrays.copyOfRange(message, Math.min(message.length, i * step),
                    last ? message.length : Math.min(message.length, (i + 1) * step));
            byte[] body = deflate(part);
            if (last) {
                body = Arrays.copyOf(body, body.length - DEFLATE_TAIL.length);
            }
            send(last, i == 0 ? RSV1 : 0, i == 0 ? opcode : CONTINUATION, body);
        }
    }

    /** Deflates {@code data} in the running stream and ends with a sync flush (so with 00 00 FF FF). */
    private byte[] deflate(byte[] data) {
        deflater.setInput(data);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        do {
            n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            compressed.write(buf, 0, n);
        } while (n == buf.length);
        return compressed.toByteArray();
    }

    /** Sends {@code message} compressed in one stream but cut into frames at arbitrary byte offsets. */
    void sendCompressedCutAt(int opcode, byte[] message, int... cuts) {
        deflater = deflater != null ? deflater : new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] body = deflate(message);
        body = Arrays.copyOf(body, body.length - DEFLATE_TAIL.length);
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : body.length;
            send(i == cuts.length, i == 0 ? RSV1 : 0, i == 0 ? opcode : CONTINUATION, Arrays.copyOfRange(body, from, to));
            from = to;
        }
    }

    /** The next frame; fails if none comes within the timeout or the connection ends first. */
    Frame read() {
        try {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            assertThat(b1 & 0x80).as("server frames are not masked").isZero();
            long len = b1 & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(len)];
            in.readFully(payload);
            return new Frame((b0 & 0x80) != 0, b0 >>> 4 & 7, b0 & 0xF, payload);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame within " + TIMEOUT_MILLIS + " ms", e);
        } catch (IOException e) {
            throw new AssertionError("connection ended while a frame was expected", e);
        }
    }

    /** The next frame, inflated when it carries RSV1 (the server keeps its context, so this inflater does too). */
    Frame readMessage() {
        Frame f = read();
        if ((f.rsv() & RSV1) == 0) {
            return f;
        }
        return new Frame(f.fin(), f.rsv() & ~RSV1, f.opcode(), inflate(f.payload()));
    }

    private byte[] inflate(byte[] payload) {
        inflater.setInput(concat(payload, DEFLATE_TAIL));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = inflater.inflate(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (DataFormatException e) {
            throw new AssertionError("the server sent a frame that does not inflate", e);
        }
        return out.toByteArray();
    }

    /** Expects the next message to be {@code payload} in one final frame of type {@code opcode}. */
    void expectEcho(int opcode, byte[] payload) {
        Frame f = readMessage();
        assertThat(f.opcode()).as(describe(f)).isEqualTo(opcode);
        assertThat(f.fin()).isTrue();
        assertThat(f.payload()).isEqualTo(payload);
    }

    /** Ends a test that expects the connection to stay usable: a ping must get its pong, then a clean close. */
    void expectStillOpenThenClose() {
        send(PING, utf8("still there?"));
        Frame pong = read();
        assertThat(pong.opcode()).as(describe(pong)).isEqualTo(PONG);
        assertThat(pong.text()).isEqualTo("still there?");
        sendClose(1000, new byte[0]);
        expectClose(1000);
    }

    /** Expects a close frame with {@code code}, then the end of the connection, and nothing in between. */
    void expectClose(int code) {
        Frame f = read();
        assertThat(f.opcode()).as("expected a close frame, got %s", describe(f)).isEqualTo(CLOSE);
        assertThat(f.closeCode()).as("close code").isEqualTo(code);
        expectEnd();
    }

    /**
     * Expects the connection to be failed: a close frame with {@code code} then the end, or the end
     * with no close frame at all. Netty's frame decoder does the latter for a close frame whose body
     * is invalid (bad code, reason not UTF-8): it counts the close as received before checking the
     * body, and then only closes the socket. RFC 6455 §7.1.7 asks for a close frame with SHOULD, and
     * Autobahn, run with {@code failByDrop} off as the Maven plugin runs it, passes either.
     */
    void expectFailure(int code) {
        try {
            int b0 = in.read();
            if (b0 < 0) {
                return;
            }
            assertThat(b0 & 0xF).as("a close frame or nothing").isEqualTo(CLOSE);
            int len = in.readUnsignedByte() & 0x7F;
            byte[] payload = new byte[len];
            in.readFully(payload);
            assertThat(new Frame(true, 0, CLOSE, payload).closeCode()).as("close code").isEqualTo(code);
        } catch (SocketException e) {
            return; // reset: ended without a close frame
        } catch (IOException e) {
            throw new AssertionError("neither a close frame nor the end of the connection", e);
        }
        expectEnd();
    }

    /** Expects the server to end the TCP connection with no further frame. */
    void expectEnd() {
        try {
            int b = in.read();
            assertThat(b).as("the server should have closed the connection, got byte %s", b).isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + TIMEOUT_MILLIS + " ms", e);
        } catch (SocketException e) {
            // a reset after the close frame also ends the connection
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String describe(Frame f) {
        String body = f.opcode() == CLOSE ? "code " + f.closeCode() : f.payload().length + " bytes";
        return "frame(opcode=" + f.opcode() + ", rsv=" + f.rsv() + ", fin=" + f.fin() + ", " + body + ")";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code length} bytes that are the same for the same seed. */
    static byte[] randomBytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket the server may already have reset
        }
        inflater.end();
        if (deflater != null) {
            deflater.end();
        }
    }
}
