package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client on a raw socket: sends {@code GET}, reads the status and headers, then
 * parses the chunked {@code text/event-stream} body into events on a reader thread (a refused
 * request's JSON body is kept in {@link #body}). Events are read with a timeout, pings included
 * when asked for.
 */
public final class SseClient implements AutoCloseable {
    /** One event, or a comment ({@code event} "comment", {@code data} its text). */
    public record Event(String id, String event, String data) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final Event END = new Event(null, "end-of-stream", "");

    private final Socket socket;
    private final InputStream in;
    public final int status;
    public final Map<String, String> headers = new HashMap<>();
    public String body = "";
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    /** Opens {@code path} (with its query) with extra headers as name, value pairs. */
    public static SseClient open(int port, String path, String... headerPairs) {
        try {
            return new SseClient(new Socket("127.0.0.1", port), path, headerPairs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SseClient(Socket socket, String path, String[] headerPairs) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n");
        for (int i = 0; i < headerPairs.length; i += 2) {
            req.append(headerPairs[i]).append(": ").append(headerPairs[i + 1]).append("\r\n");
        }
        OutputStream out = socket.getOutputStream();
        out.write(req.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        in = socket.getInputStream();
        String statusLine = line();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        if (status != 200) {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return;
        }
        socket.setSoTimeout(0);
        Thread reader = new Thread(this::readEvents, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("end of stream in a line");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** Dechunks the body and parses it as an event stream. */
    private void readEvents() {
        StringBuilder text = new StringBuilder();
        String id = null;
        String event = null;
        StringBuilder data = null;
        try {
            while (true) {
                int size = Integer.parseInt(line().trim(), 16);
                if (size == 0) {
                    break;
                }
                text.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                line();
                for (int nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n")) {
                    String l = text.substring(0, nl);
                    text.delete(0, nl + 1);
                    if (l.isEmpty()) {
                        if (data != null) {
                            events.add(new Event(id, event == null ? "message" : event, data.toString()));
                        }
                        event = null;
                        data = null;
                    } else if (l.startsWith(":")) {
                        events.add(new Event(null, "comment", l.substring(1).trim()));
                    } else if (l.startsWith("id: ")) {
                        id = l.substring(4);
                    } else if (l.startsWith("event: ")) {
                        event = l.substring(7);
                    } else if (l.startsWith("data: ")) {
                        data = data == null ? new StringBuilder(l.substring(6)) : data.append('\n').append(l.substring(6));
                    } else if (l.startsWith("retry: ")) {
                        events.add(new Event(null, "retry", l.substring(7)));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the socket closed
        }
        events.add(END);
    }

    /** The next event, comments and retry fields included. */
    public Event nextAny(Duration timeout) {
        try {
            Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(e).as("an event within " + timeout).isNotNull();
            return e;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** The next event that is neither a comment nor a retry field. */
    public Event next() {
        while (true) {
            Event e = nextAny(TestClient.TIMEOUT);
            if (!e.event().equals("comment") && !e.event().equals("retry")) {
                return e;
            }
        }
    }

    /** The next event, which must be named {@code name}. */
    public Event expect(String name) {
        Event e = next();
        assertThat(e.event()).as("event " + e).isEqualTo(name);
        return e;
    }

    /** Asserts no event (comments and retries aside) comes within {@code quiet}. */
    public void expectNothing(Duration quiet) {
        long end = System.nanoTime() + quiet.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                Event e = events.poll(left, TimeUnit.NANOSECONDS);
                if (e != null && !e.event().equals("comment") && !e.event().equals("retry")) {
                    throw new AssertionError("expected nothing, got " + e);
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public JsonNode bodyJson() {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }
}
