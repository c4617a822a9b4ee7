package io.herald.examples.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An example's own web site: its page (static files from the class path) and its small JSON API,
 * on the JDK's HTTP server. Herald serves only its protocol and {@code /herald.js}; a page comes
 * from the application, at another origin that Herald's {@code allowedOrigins} lists ({@link #origins()}).
 *
 * <pre>{@code
 * ExampleSite site = ExampleSite.start("127.0.0.1", 8091, "io/herald/examples/scan/site")
 *         .route("GET", "/api/token", request -> Reply.text(tokens.mint(...)));
 * }</pre>
 *
 * <p>Routes match a path exactly, or by prefix when they end with {@code /}. Thread-safe; handlers
 * run on the site's own threads, so they may block briefly (no event loop is involved).
 */
public final class ExampleSite implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExampleSite.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml", "png", "image/png", "json", "application/json", "ico", "image/x-icon");

    private final HttpServer server;
    private final ExecutorService threads;
    private final String resourceRoot;
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    /** A request to a route: the method, the path, the query's parameters (first value of each) and the body. */
    public record Request(String method, String path, Map<String, String> query, byte[] body) {
        /** The path after the route's prefix, e.g. {@code 3} for {@code /api/scans/3} on {@code /api/scans/}. */
        public String rest(String prefix) {
            return path.substring(Math.min(prefix.length(), path.length()));
        }

        /** The body as JSON (an empty object for no body). */
        public JsonNode json() {
            try {
                return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalArgumentException("the body is not JSON: " + e.getMessage());
            }
        }
    }

    /** An answer: status, content type, bytes. */
    public record Reply(int status, String contentType, byte[] body) {
        public static Reply json(Object value) {
            return json(200, value);
        }

        public static Reply json(int status, Object value) {
            try {
                return new Reply(status, "application/json", JSON.writeValueAsBytes(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public static Reply text(String text) {
            return new Reply(200, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }

        /** An error as Herald writes them: {@code {"error":{"code","message"}}}. */
        public static Reply error(int status, String code, String message) {
            return json(status, Map.of("error", Map.of("code", code, "message", message)));
        }
    }

    /** What a route does with a request. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Request request);
    }

    private record Route(String method, String path, Handler handler) {
        boolean matches(String m, String p) {
            return method.equals(m) && (path.endsWith("/") ? p.startsWith(path) : p.equals(path));
        }
    }

    private ExampleSite(HttpServer server, ExecutorService threads, String resourceRoot) {
        this.server = server;
        this.threads = threads;
        this.resourceRoot = resourceRoot.endsWith("/") ? resourceRoot : resourceRoot + "/";
    }

    /**
     * Listens on {@code host:port} (0: any free port) and serves the class path resources under
     * {@code resourceRoot} ({@code /} is {@code index.html}).
     *
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static ExampleSite start(String host, int port, String resourceRoot) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "example-site-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ExampleSite site = new ExampleSite(server, threads, Objects.requireNonNull(resourceRoot, "resourceRoot"));
        server.createContext("/", site::serve);
        server.setExecutor(threads);
        server.start();
        return site;
    }

    /** Adds a route; {@code path} ending with {@code /} matches every path under it. Returns this site. */
    public ExampleSite route(String method, String path, Handler handler) {
        routes.add(new Route(method, path, handler));
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The site's address, e.g. {@code http://127.0.0.1:8091}. */
    public URI uri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port());
    }

    /** The origins a browser gives this site's pages, for Herald's {@code allowedOrigins}. */
    public List<String> origins() {
        String host = server.getAddress().getHostString();
        if (host.equals("127.0.0.1") || host.equals("localhost")) {
            return List.of("http://127.0.0.1:" + port(), "http://localhost:" + port());
        }
        return List.of(uri().toString());
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Reply reply;
            try {
                reply = answer(exchange, method, path);
            } catch (IllegalArgumentException e) {
                reply = Reply.error(400, "bad_request", e.getMessage());
            } catch (RuntimeException e) {
                log.warn("{} {} failed", method, path, e);
                reply = Reply.error(500, "internal", "internal error");
            }
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(reply.status(), head || reply.body().length == 0 ? -1 : reply.body().length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        } catch (IOException e) {
            log.debug("answer to {} not written: {}", exchange.getRequestURI(), e.toString());
        }
    }

    private Reply answer(HttpExchange exchange, String method, String path) throws IOException {
        for (Route r : routes) {
            if (r.matches(method, path)) {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readNBytes(1024 * 1024);
                }
                return r.handler().handle(new Request(method, path, query(exchange.getRequestURI()), body));
            }
        }
        if (path.startsWith("/api/")) {
            return Reply.error(404, "not_found", "no such endpoint: " + method + " " + path);
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Reply.error(405, "bad_request", method + " is not allowed here");
        }
        return file(path.equals("/") ? "index.html" : path.substring(1));
    }

    private Reply file(String name) throws IOException {
        if (name.contains("..") || name.startsWith("/")) {
            return Reply.error(404, "not_found", "no such file");
        }
        try (InputStream in = ExampleSite.class.getClassLoader().getResourceAsStream(resourceRoot + name)) {
            if (in == null) {
                return Reply.error(404, "not_found", "no such file: /" + name);
            }
            String ext = name.substring(name.lastIndexOf('.') + 1);
            return new Reply(200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
        }
    }

    private static Map<String, String> query(URI uri) {
        String q = uri.getRawQuery();
        if (q == null || q.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    /** Stops listening at once and ends the site's threads. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
