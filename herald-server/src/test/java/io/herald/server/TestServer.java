package io.herald.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Herald;
import io.herald.HeraldConfig;
import io.herald.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;

/** A real Herald server on a free port, with an HTTP client for its API. */
public final class TestServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final HeraldServer server;
    public final Herald herald;

    private TestServer(HeraldServer server, Herald herald) {
        this.server = server;
        this.herald = herald;
    }

    public static TestServer start() {
        return start(b -> b, HeraldConfig.DEFAULTS);
    }

    public static TestServer start(UnaryOperator<ServerConfig.Builder> config) {
        return start(config, HeraldConfig.DEFAULTS);
    }

    public static TestServer start(UnaryOperator<ServerConfig.Builder> config, HeraldConfig core) {
        HeraldServer server = HeraldServer.create(config.apply(ServerConfig.newBuilder().port(0)).build());
        Herald herald = Herald.builder().config(core).transport(server).start();
        return new TestServer(server, herald);
    }

    public int port() {
        return server.port();
    }

    public TestClient client(String path) {
        TestClient c = TestClient.connect(port(), path);
        c.expect("welcome");
        return c;
    }

    /** A client subscribed to {@code channel}, its {@code subscribed} answer consumed. */
    public TestClient subscriber(String channel) {
        TestClient c = client("/ws");
        c.send("{\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}");
        c.expect("subscribed");
        return c;
    }

    public Response post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build());
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    /** Publishes one message over HTTP; returns its offset. */
    public long publish(String channel, String event, String dataJson) {
        Response r = post("/api/publish", "{\"channel\":\"" + channel + "\",\"event\":\"" + event + "\",\"data\":" + dataJson + "}");
        if (r.status() != 200) {
            throw new AssertionError("publish failed: " + r);
        }
        return r.json().get("offset").asLong();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    private static Response send(HttpRequest req) {
        try {
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    @Override
    public void close() {
        herald.close();
    }
}
