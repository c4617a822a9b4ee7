package io.herald.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Engine;
import io.herald.Herald;
import io.herald.HeraldClock;
import io.herald.HeraldConfig;
import io.herald.server.internal.auth.TokenMinter;
import java.time.Duration;
import java.util.List;
import io.herald.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;

/**
 * A real Herald server on a free port, with an HTTP client for its API. Unless a test configures
 * auth itself, the server has an HS256 key ({@link #SECRET}), an admin API key ({@link #ADMIN_KEY},
 * sent by {@link #post} and {@link #get}) and anonymous connections allowed, so protocol tests need
 * no tokens; security tests turn anonymous access off.
 */
public final class TestServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    public static final String SECRET = "test-secret-0123456789abcdef0123456789abcdef";
    public static final String ADMIN_KEY = "admin-key-0123456789abcdef";
    public static final String PUBLISH_KEY = "publish-key-0123456789abcdef";
    public static final AuthConfig AUTH = AuthConfig.newBuilder().jwtSecret(SECRET).anonymous(true)
            .adminApiKeys(List.of(ADMIN_KEY)).publishApiKeys(List.of(PUBLISH_KEY)).build();

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
        return start(config, core, HeraldClock.SYSTEM);
    }

    /** A server whose time-dependent logic reads {@code clock} (event loop timers still run in real time). */
    public static TestServer start(UnaryOperator<ServerConfig.Builder> config, HeraldConfig core, HeraldClock clock) {
        HeraldServer server = HeraldServer.create(config.apply(ServerConfig.newBuilder().port(0).auth(AUTH)).build());
        Herald herald = Herald.builder().config(core).clock(clock).transport(server).start();
        return new TestServer(server, herald);
    }

    /** A server configured as {@link #start(UnaryOperator, HeraldConfig)} on {@code engine} instead of the memory engine. */
    public static TestServer start(UnaryOperator<ServerConfig.Builder> config, HeraldConfig core, Engine engine) {
        HeraldServer server = HeraldServer.create(config.apply(ServerConfig.newBuilder().port(0).auth(AUTH)).build());
        Herald herald = Herald.builder().config(core).engine(engine).transport(server).start();
        return new TestServer(server, herald);
    }

    /** A server with default configuration on {@code engine} instead of the memory engine. */
    public static TestServer withEngine(Engine engine) {
        return withEngine(engine, b -> b);
    }

    /** A server on {@code engine}, configured by {@code config} from the defaults (e.g. a fixed port, to restart on it). */
    public static TestServer withEngine(Engine engine, UnaryOperator<ServerConfig.Builder> config) {
        HeraldServer server = HeraldServer.create(config.apply(ServerConfig.newBuilder().port(0).auth(AUTH)).build());
        Herald herald = Herald.builder().engine(engine).transport(server).start();
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
                .header("Content-Type", "application/json").header("X-Api-Key", ADMIN_KEY).build());
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().header("X-Api-Key", ADMIN_KEY).build());
    }

    /** Sends {@code method path} with the given headers (name, value, name, value…) and no API key unless given. */
    public Response request(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    /** A token signed with {@link #SECRET}, valid for {@code ttl}. */
    public static String token(String sub, List<String> channels, List<String> publish, boolean admin, Duration ttl) {
        return TokenMinter.create(AUTH, HeraldClock.SYSTEM).mint(sub, channels, publish, admin, ttl);
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
