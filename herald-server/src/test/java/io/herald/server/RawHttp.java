package io.herald.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One TCP connection that speaks HTTP/1.1 by hand, so tests can send what no HTTP client would
 * (a hixie-76 upgrade, a bad key, nothing at all) and see whether the server closed the socket.
 * Reads time out after {@link TestClient#TIMEOUT}.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
        this.in = socket.getInputStream();
    }

    public static RawHttp connect(int port) {
        return connect(port, "127.0.0.1");
    }

    /** Connects from {@code localAddress} (any 127.x.y.z works on Linux), to count against another address. */
    public static RawHttp connect(int port, String localAddress) {
        try {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(localAddress, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port));
            return new RawHttp(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A {@code GET path} upgrade request with the given extra header lines ("Name: value"), CRLFs added. */
    public static String upgrade(String path, String... headers) {
        StringBuilder sb = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    public RawHttp send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Sends {@code bytes} as they are (a request body). */
    public RawHttp sendBytes(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads one response: status line, headers and a body of its {@code Content-Length}. */
    public Response read() {
        try {
            String status = line();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(); !l.isEmpty(); l = line()) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new Response(Integer.parseInt(status.split(" ")[1]), headers, body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether the server closed the connection: end of stream (or a reset) before the read timeout. */
    public boolean closedByServer() {
        try {
            while (in.read() >= 0) {
                // skip anything left of a response
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed in the middle of a response: " + b);
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }
}
