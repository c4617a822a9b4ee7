package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Engine;
import io.herald.ForwardingEngine;
import io.herald.Herald;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.herald.server.OpenApiCall.Target;
import io.herald.server.OpenApiContract.Answer;
import io.herald.server.OpenApiContract.Operation;
import io.herald.server.OpenApiContract.Request;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code /api/openapi.json} against the real server: every documented operation is called over a
 * real socket, every status it documents is produced, and each answer's status, media type,
 * headers and body are checked against the document (networknt json-schema-validator, draft
 * 2020-12). Successful requests must satisfy the documented parameters and request bodies, and the
 * requests that the server refuses for their shape must be refused by the document too. The last
 * check fails when an operation or a status is documented without a call here that produced it.
 */
class OpenApiTest {
    static final String ORIGIN = "https://app.example";
    static final String OTHER_ORIGIN = "https://evil.example";
    static final int MAX_REQUEST_SIZE = 2048;
    /** A valid {@code Sec-WebSocket-Key} (RFC 6455's example). */
    static final String WS_KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    static TestServer api;
    static TestServer addressGate;
    static TestServer fullGate;
    static HeraldServer faultyServer;
    static Herald faulty;
    static OpenApiContract contract;
    static String etag;
    static String adminToken;
    static String userToken;
    static String epoch;
    static TestClient watcher;
    static TestClient victim;
    static RawHttp gateHolder;
    static RawHttp gateFiller;
    /** Documented answers that no call here can produce, and why: kept short, and checked to be documented. */
    static final Map<String, String> NOT_PRODUCED = Map.of(
            "GET /herald.js 404", "only a herald-server built without clients/js lacks the bundle; Maven always bundles it",
            "GET /herald-react.js 404", "the same",
            "GET / 404", "only a herald-server built without dashboard lacks it; Maven always bundles it",
            "GET /dashboard/app.js 404", "the same",
            "GET /dashboard/app.css 404", "the same");
    /** What was produced and matched the document: {@code "GET /api/stats 200"}. */
    static final Set<String> produced = new TreeSet<>();

    @BeforeAll
    static void start() {
        NamespaceOptions kept = NamespaceOptions.newBuilder().retained(true).retainedMaxKeys(1).build();
        api = TestServer.start(b -> b.maxRequestSize(MAX_REQUEST_SIZE).maxSubscriptions(2)
                        .auth(TestServer.AUTH.toBuilder().allowedOrigins(List.of(ORIGIN)).build()),
                HeraldConfig.newBuilder().namespaces(Map.of("kept", kept)).build());
        addressGate = TestServer.start(b -> b.maxConnectionsPerIp(1));
        fullGate = TestServer.start(b -> b.maxConnections(1));
        faultyServer = HeraldServer.create(ServerConfig.newBuilder().port(0).auth(TestServer.AUTH).build());
        faulty = Herald.builder().engine(new DownEngine()).meterRegistry(new SimpleMeterRegistry())
                .transport(faultyServer).start();
        adminToken = TestServer.token("operator", List.of(), List.of(), true, Duration.ofHours(1));
        userToken = TestServer.token("alice", List.of("doc:*"), List.of("doc:*"), false, Duration.ofHours(1));

        Answer document = send(Target.API, new Request("GET", "/api/openapi.json", Map.of(), null));
        assertThat(document.status()).as("GET /api/openapi.json").isEqualTo(200);
        contract = new OpenApiContract(OpenApiContract.json(document.body()));
        etag = document.header("etag");

        api.publish("doc:1", "progress", "{\"pct\":1}");
        api.publish("doc:1", "progress", "{\"pct\":2}");
        epoch = api.get("/api/channels/doc:1").json().get("epoch").asText();
        api.post("/api/publish", "{\"channel\":\"kept:1\",\"event\":\"settings\",\"key\":\"theme\",\"data\":\"dark\"}");
        api.post("/api/publish", "{\"channel\":\"kept:2\",\"event\":\"settings\",\"key\":\"lang\",\"data\":\"en\"}");
        api.publish("gone:1", "e", "null");
        watcher = api.subscriber("doc:1");
        victim = api.client("/ws");

        // a held connection fills its address on one server (maxConnectionsPerIp 1), and the other server (maxConnections 1)
        gateHolder = hold(addressGate, "127.0.0.1");
        gateFiller = hold(fullGate, "127.0.0.2");
    }

    /** A keep-alive connection to {@code server} from {@code address}, counted once it was answered. */
    private static RawHttp hold(TestServer server, String address) {
        RawHttp c = RawHttp.connect(server.port(), address);
        assertThat(c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").read().status()).isEqualTo(200);
        return c;
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {watcher, victim, gateHolder, gateFiller, faulty, addressGate, fullGate, api}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing anyway
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The calls

    /** A call of {@code operation} ("GET /api/channels/{channel}") as {@code target} ("/api/channels/doc:1"). */
    static OpenApiCall call(String operation, String label, String target) {
        return OpenApiCall.of(operation, label, target);
    }

    /** The upgrade headers of a valid version 13 WebSocket request. */
    static OpenApiCall upgrade(OpenApiCall c) {
        return c.header("Upgrade", "websocket").header("Connection", "Upgrade").header("Sec-WebSocket-Key", WS_KEY)
                .header("Sec-WebSocket-Version", "13");
    }

    /** The calls written for each operation: its successes and the errors of its own. */
    static List<OpenApiCall> calls() {
        String big = "{\"channel\":\"doc:1\",\"event\":\"e\",\"data\":\"" + "x".repeat(MAX_REQUEST_SIZE) + "\"}";
        String bigBroadcast = "{\"channels\":[\"doc:1\"],\"event\":\"e\",\"data\":\"" + "x".repeat(MAX_REQUEST_SIZE) + "\"}";
        return List.of(
                call("GET /api/openapi.json", "the document, without credentials", "/api/openapi.json"),
                call("GET /api/openapi.json", "revalidated with its ETag", "/api/openapi.json").header("If-None-Match", etag)
                        .expect(304),

                call("POST /api/publish", "one message, admin key", "/api/publish").admin()
                        .body("{\"channel\":\"doc:1\",\"event\":\"progress\",\"key\":\"progress\",\"data\":{\"pct\":40}}"),
                call("POST /api/publish", "an array, publish key", "/api/publish").publisher()
                        .body("[{\"channel\":\"doc:1\",\"event\":\"host\",\"data\":{\"ip\":\"10.0.0.7\"}},"
                                + "{\"channel\":\"doc:2\",\"event\":\"done\",\"critical\":true,\"final\":true}]"),
                call("POST /api/publish", "an admin token", "/api/publish").header("Authorization", "Bearer " + adminToken)
                        .body("{\"channel\":\"doc:1\",\"event\":\"e\",\"data\":null}"),
                call("POST /api/publish", "malformed JSON", "/api/publish").admin().body("{\"channel\":").expect(400).refused(),
                call("POST /api/publish", "an unknown field", "/api/publish").admin()
                        .body("{\"channel\":\"doc:1\",\"event\":\"e\",\"critcal\":true}").expect(400).refused(),
                call("POST /api/publish", "an invalid channel name", "/api/publish").admin()
                        .body("{\"channel\":\"no spaces\",\"event\":\"e\"}").expect(400).refused(),
                call("POST /api/publish", "an empty array", "/api/publish").admin().body("[]").expect(400).refused(),
                call("POST /api/publish", "no event", "/api/publish").admin().body("{\"channel\":\"doc:1\"}").expect(400).refused(),
                call("POST /api/publish", "a system channel", "/api/publish").admin()
                        .body("{\"channel\":\"$herald:occupancy\",\"event\":\"occupied\"}").expect(403),
                call("POST /api/publish", "a body over limits.maxRequestSize", "/api/publish").admin().body(big).expect(413),
                call("POST /api/publish", "a retained key past retainedMaxKeys", "/api/publish").admin()
                        .body("{\"channel\":\"kept:1\",\"event\":\"settings\",\"key\":\"font\",\"data\":12}").expect(413),
                call("POST /api/publish", "the engine is down", "/api/publish").on(Target.FAULTY).admin()
                        .body("{\"channel\":\"down:1\",\"event\":\"e\"}").expect(503),

                call("POST /api/broadcast", "two channels", "/api/broadcast").publisher()
                        .body("{\"channels\":[\"room:1\",\"room:2\"],\"event\":\"notice\",\"data\":{\"text\":\"hi\"}}"),
                call("POST /api/broadcast", "no channels", "/api/broadcast").admin()
                        .body("{\"channels\":[],\"event\":\"notice\"}").expect(400).refused(),
                call("POST /api/broadcast", "a channel that is no string", "/api/broadcast").admin()
                        .body("{\"channels\":[1],\"event\":\"notice\"}").expect(400).refused(),
                call("POST /api/broadcast", "an unknown field", "/api/broadcast").admin()
                        .body("{\"channels\":[\"room:1\"],\"event\":\"notice\",\"channel\":\"room:2\"}").expect(400).refused(),
                call("POST /api/broadcast", "a system channel", "/api/broadcast").admin()
                        .body("{\"channels\":[\"room:1\",\"$herald:occupancy\"],\"event\":\"notice\"}").expect(403),
                call("POST /api/broadcast", "a body over limits.maxRequestSize", "/api/broadcast").admin().body(bigBroadcast)
                        .expect(413),
                call("POST /api/broadcast", "a retained key past retainedMaxKeys", "/api/broadcast").admin()
                        .body("{\"channels\":[\"kept:1\"],\"event\":\"settings\",\"key\":\"size\"}").expect(413),
                call("POST /api/broadcast", "the engine is down", "/api/broadcast").on(Target.FAULTY).admin()
                        .body("{\"channels\":[\"down:1\"],\"event\":\"e\"}").expect(503),

                call("GET /api/stats", "every channel", "/api/stats").admin(),
                call("GET /api/stats", "one namespace, an admin token", "/api/stats?namespace=doc")
                        .header("Authorization", "Bearer " + adminToken),
                call("GET /api/stats", "Herald's own channels too", "/api/stats?system=true").admin(),
                call("GET /api/stats", "a system that is no boolean", "/api/stats?system=yes").admin().expect(400).refused(),
                call("GET /api/channels", "every channel", "/api/channels").admin(),
                call("GET /api/channels", "Herald's own channels too", "/api/channels?system=true").admin(),
                call("GET /api/channels", "one namespace", "/api/channels?namespace=kept").admin(),
                call("GET /api/channels", "searched in another case, one page", "/api/channels?search=DOC&limit=1&offset=1")
                        .admin(),
                call("GET /api/channels", "a limit over 1,000", "/api/channels?limit=1001").admin().expect(400).refused(),
                call("GET /api/channels", "an offset that is no number", "/api/channels?offset=x").admin().expect(400)
                        .refused(),

                call("GET /api/channels/{channel}", "a channel", "/api/channels/doc:1").admin(),
                call("GET /api/channels/{channel}", "a retained channel, with its state", "/api/channels/kept:1").admin(),
                call("GET /api/channels/{channel}", "an invalid name", "/api/channels/no%20spaces").admin().expect(400).refused(),
                call("GET /api/channels/{channel}", "an unknown channel", "/api/channels/nope:1").admin().expect(404),
                call("DELETE /api/channels/{channel}", "a channel", "/api/channels/gone:1").admin(),
                call("DELETE /api/channels/{channel}", "an invalid name", "/api/channels/no%20spaces").admin().expect(400)
                        .refused(),
                call("DELETE /api/channels/{channel}", "an unknown channel", "/api/channels/nope:1").admin().expect(404),

                call("GET /api/channels/{channel}/history", "the first page", "/api/channels/doc:1/history?limit=1").admin(),
                call("GET /api/channels/{channel}/history", "after a position", "/api/channels/doc:1/history?since="
                        + epoch + ":1&limit=1000").admin(),
                call("GET /api/channels/{channel}/history", "limit 0", "/api/channels/doc:1/history?limit=0").admin()
                        .expect(400).refused(),
                call("GET /api/channels/{channel}/history", "a malformed since", "/api/channels/doc:1/history?since=x-1")
                        .admin().expect(400).refused(),
                call("GET /api/channels/{channel}/history", "an unknown channel", "/api/channels/nope:1/history").admin()
                        .expect(404),

                call("DELETE /api/channels/{channel}/state", "a retained key, publish key", "/api/channels/kept:2/state?key=lang")
                        .publisher(),
                call("DELETE /api/channels/{channel}/state", "no key", "/api/channels/kept:2/state").publisher().expect(400)
                        .refused(),
                call("DELETE /api/channels/{channel}/state", "an invalid name", "/api/channels/no%20spaces/state?key=a")
                        .publisher().expect(400).refused(),
                call("DELETE /api/channels/{channel}/state", "a key not retained", "/api/channels/kept:2/state?key=nope")
                        .publisher().expect(404),

                call("GET /api/channels/{channel}/subscribers", "a watched channel, publish key",
                        "/api/channels/doc:1/subscribers").publisher(),
                call("GET /api/channels/{channel}/subscribers", "a channel nobody touched",
                        "/api/channels/untouched:1/subscribers").admin(),
                call("GET /api/channels/{channel}/subscribers", "an invalid name", "/api/channels/a%20b/subscribers")
                        .publisher().expect(400).refused(),

                call("GET /api/connections", "every connection", "/api/connections").admin(),
                call("GET /api/connections", "filtered, one page", "/api/connections?channel=doc:1&limit=10&offset=0").admin(),
                call("GET /api/connections", "a limit that is no number", "/api/connections?limit=ten").admin().expect(400)
                        .refused(),
                call("GET /api/connections", "a negative offset", "/api/connections?offset=-1").admin().expect(400).refused(),
                call("DELETE /api/connections/{id}", "an open connection", "/api/connections/"
                        + victimId()).admin(),
                call("DELETE /api/connections/{id}", "no such connection", "/api/connections/nope").admin().expect(404),

                call("POST /api/tokens", "a user's token, admin key", "/api/tokens").admin()
                        .body("{\"sub\":\"alice\",\"channels\":[\"doc:*\"],\"publish\":[\"doc:1\"],\"ttlSeconds\":600}"),
                call("POST /api/tokens", "an admin token, an admin token", "/api/tokens")
                        .header("Authorization", "Bearer " + adminToken).body("{\"sub\":\"dashboard\",\"admin\":true}"),
                call("POST /api/tokens", "no sub", "/api/tokens").admin().body("{\"admin\":true}").expect(400).refused(),
                call("POST /api/tokens", "a blank sub", "/api/tokens").admin().body("{\"sub\":\"  \"}").expect(400).refused(),
                call("POST /api/tokens", "an unknown field", "/api/tokens").admin().body("{\"sub\":\"a\",\"expires\":1}")
                        .expect(400).refused(),
                call("POST /api/tokens", "ttlSeconds over a day", "/api/tokens").admin()
                        .body("{\"sub\":\"a\",\"ttlSeconds\":86401}").expect(400).refused(),
                call("POST /api/tokens", "not a channel pattern", "/api/tokens").admin()
                        .body("{\"sub\":\"a\",\"channels\":[\"no spaces\"]}").expect(400).refused(),
                call("POST /api/tokens", "malformed JSON", "/api/tokens").admin().body("{").expect(400).refused(),

                call("GET /herald.js", "the browser client", "/herald.js"),
                call("GET /herald.js", "gzipped", "/herald.js").header("Accept-Encoding", "gzip, br"),
                call("GET /herald.js", "revalidated with its ETag", "/herald.js").header("If-None-Match", etagOf("/herald.js"))
                        .expect(304),
                call("GET /herald-react.js", "the React hooks", "/herald-react.js"),
                call("GET /herald-react.js", "revalidated with its ETag", "/herald-react.js")
                        .header("If-None-Match", etagOf("/herald-react.js")).expect(304),

                call("GET /", "the dashboard page", "/"),
                call("GET /", "gzipped", "/").header("Accept-Encoding", "gzip"),
                call("GET /", "revalidated with its ETag", "/").header("If-None-Match", etagOf("/")).expect(304),
                call("GET /dashboard/app.js", "the dashboard's script", "/dashboard/app.js"),
                call("GET /dashboard/app.js", "revalidated with its ETag", "/dashboard/app.js")
                        .header("If-None-Match", etagOf("/dashboard/app.js")).expect(304),
                call("GET /dashboard/app.css", "the dashboard's style", "/dashboard/app.css"),
                call("GET /dashboard/app.css", "revalidated with its ETag", "/dashboard/app.css")
                        .header("If-None-Match", etagOf("/dashboard/app.css")).expect(304),

                call("GET /health", "serving", "/health"),
                call("GET /health", "the engine is down", "/health").on(Target.FAULTY).expect(503),
                call("GET /metrics", "Prometheus text", "/metrics"),
                call("GET /metrics", "an embedding application's own registry", "/metrics").on(Target.FAULTY).expect(404),

                call("GET /sse", "two channels, a token", "/sse?channel=doc:1&channel=doc:2&token=" + userToken)
                        .exchange(OpenApiTest::stream),
                call("GET /sse", "no channel", "/sse").expect(400).refused(),
                call("GET /sse", "an invalid channel", "/sse?channel=no%20spaces").expect(400).refused(),
                call("GET /sse", "an invalid token", "/sse?channel=doc:1&token=garbage").expect(401),
                call("GET /sse", "a channel the token does not allow", "/sse?channel=room:1&token=" + userToken).expect(403),
                call("GET /sse", "an origin not allowed", "/sse?channel=doc:1").header("Origin", OTHER_ORIGIN).expect(403),
                call("GET /sse", "more channels than limits.maxSubscriptions", "/sse?channel=a:1&channel=a:2&channel=a:3")
                        .expect(429),

                upgrade(call("GET /ws", "a version 13 upgrade", "/ws?token=" + userToken)).expect(101),
                call("GET /ws", "no upgrade", "/ws").expect(400).refused(),
                upgrade(call("GET /ws", "a key of 15 bytes", "/ws")).header("Sec-WebSocket-Key", "c2hvcnRrZXkxMjM0NTY=")
                        .expect(400).refused(),
                upgrade(call("GET /ws", "since without a channel", "/ws?since=" + epoch + ":1")).expect(400).refused(),
                upgrade(call("GET /ws", "an origin not allowed", "/ws")).header("Origin", OTHER_ORIGIN).expect(403),
                upgrade(call("GET /ws", "version 8", "/ws")).header("Sec-WebSocket-Version", "8").expect(426).refused(),
                upgrade(call("GET /ws/{channel}", "resuming a channel", "/ws/doc:1?since=" + epoch + ":1")).expect(101),
                upgrade(call("GET /ws/{channel}", "an invalid channel", "/ws/no%20spaces")).expect(400).refused(),
                upgrade(call("GET /ws/{channel}", "a malformed since", "/ws/doc:1?since=yesterday")).expect(400).refused(),
                upgrade(call("GET /ws/{channel}", "an origin not allowed", "/ws/doc:1")).header("Origin", OTHER_ORIGIN)
                        .expect(403),
                upgrade(call("GET /ws/{channel}", "version 8", "/ws/doc:1")).header("Sec-WebSocket-Version", "8").expect(426)
                        .refused());
    }

    private static String etagOf(String path) {
        return send(Target.API, new Request("GET", path, Map.of(), null)).header("etag");
    }

    private static String victimId() {
        return api.get("/api/connections").json().get("connections").findValues("id").stream()
                .map(JsonNode::asText).filter(id -> !id.equals(watcherId())).findFirst().orElseThrow();
    }

    private static String watcherId() {
        return api.get("/api/connections?channel=doc:1").json().get("connections").get(0).get("id").asText();
    }

    /**
     * The calls every operation gets from its document: without credentials (401), with too little
     * (403), from a page of an allowed and of another origin (preflights), and refused by the
     * connection gate (429, 503). Each is derived from the operation's first successful call.
     */
    static List<OpenApiCall> derivedCalls(List<OpenApiCall> written) {
        List<OpenApiCall> out = new ArrayList<>();
        for (Operation op : contract.operations()) {
            OpenApiCall sample = written.stream().filter(c -> c.operation().equals(op.key()) && c.status() < 300)
                    .findFirst().orElse(null);
            if (op.method().equals("options")) {
                OpenApiCall preflight = call(op.key(), "", op.path().replaceAll("\\{[^}]+}", "doc:1"))
                        .header("Access-Control-Request-Method", "GET");
                out.add(preflight.header("Origin", ORIGIN).expect(204));
                out.add(preflight.header("Origin", OTHER_ORIGIN).expect(403));
                sample = preflight.header("Origin", ORIGIN);
            }
            if (sample == null) {
                continue; // the coverage check names it
            }
            Set<String> roles = roles(op);
            if (!roles.isEmpty()) {
                OpenApiCall bare = sample.without("X-Api-Key").without("Authorization");
                out.add(bare.labelled("no credentials").expect(401));
                out.add(bare.header("X-Api-Key", "not-a-key-0123456789").labelled("an unknown key").expect(401));
                out.add(bare.header("Authorization", "Bearer " + userToken).labelled("a token without admin").expect(403));
                if (roles.contains("admin")) {
                    out.add(bare.publisher().labelled("a publish key").expect(403));
                }
            }
            out.add(sample.labelled("too many connections from this address").on(Target.ADDRESS_GATE).expect(429)
                    .exchange(null));
            out.add(sample.labelled("the server is full").on(Target.FULL_GATE).expect(503).exchange(null));
        }
        return out;
    }

    /** The roles an operation's security requirements name (the scopes of its requirements). */
    static Set<String> roles(Operation op) {
        Set<String> roles = new LinkedHashSet<>();
        for (JsonNode requirement : op.node().path("security")) {
            requirement.elements().forEachRemaining(scopes -> scopes.forEach(s -> roles.add(s.asText())));
        }
        return roles;
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedOperationAnswersAsDocumented() {
        List<OpenApiCall> written = calls();
        List<OpenApiCall> all = new ArrayList<>(written);
        all.addAll(derivedCalls(written));
        Stream<DynamicTest> calls = all.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> run(c)));
        Stream<DynamicTest> coverage = Stream.of(DynamicTest.dynamicTest("every documented status was produced",
                OpenApiTest::everyDocumentedStatusWasProduced));
        return Stream.concat(calls, coverage);
    }

    private static void run(OpenApiCall c) {
        Operation op = contract.operation(c.operation())
                .orElseThrow(() -> new AssertionError(c.operation() + " is not in the document"));
        List<String> requestProblems = contract.checkRequest(op, c.request());
        if (c.documentRefuses()) {
            assertThat(requestProblems).as("the document refuses %s", c).isNotEmpty();
        } else if (c.status() < 300) {
            assertThat(requestProblems).as("the document allows %s", c).isEmpty();
        }
        Answer answer = c.exchange() == null ? exchange(c) : c.exchange().apply(c);
        assertThat(answer.status()).as("%s: %s", c, OpenApiContract.abbreviate(answer.body())).isEqualTo(c.status());
        String response = contract.response(op, answer.status()).orElseThrow(() -> new AssertionError(
                c + ": status " + answer.status() + " is not documented; documented: " + contract.statuses(op)));
        assertThat(contract.checkAnswer(response, answer)).as("%s answered %s", c, OpenApiContract.abbreviate(answer.body()))
                .isEmpty();
        synchronized (produced) {
            produced.add(op.key() + " " + answer.status());
        }
    }

    private static void everyDocumentedStatusWasProduced() {
        List<String> documented = new ArrayList<>();
        for (Operation op : contract.operations()) {
            for (int status : contract.statuses(op)) {
                documented.add(op.key() + " " + status);
            }
        }
        List<String> missing = new ArrayList<>(documented);
        missing.removeAll(produced);
        missing.removeAll(NOT_PRODUCED.keySet());
        assertThat(missing).as("documented answers no call here produced (add a call to OpenApiTest)").isEmpty();
        assertThat(documented).as("exemptions name documented answers").containsAll(NOT_PRODUCED.keySet());
        assertThat(produced).as("exemptions name answers no call produces").doesNotContainAnyElementsOf(NOT_PRODUCED.keySet());
    }

    // ---------------------------------------------------------------------------------------------
    // Sending

    /** Sends the call's request on a new connection and reads one answer. */
    static Answer exchange(OpenApiCall c) {
        return send(c.target(), c.request());
    }

    static Answer send(Target target, Request r) {
        int port = switch (target) {
            case API -> api.port();
            case FAULTY -> faultyServer.port();
            case ADDRESS_GATE -> addressGate.port();
            case FULL_GATE -> fullGate.port();
        };
        try (RawHttp http = RawHttp.connect(port)) {
            RawHttp.Response res = http.send(head(r, port)).sendBytes(body(r)).read();
            return new Answer(res.status(), res.headers(), res.body());
        }
    }

    private static String head(Request r, int port) {
        StringBuilder sb = new StringBuilder(r.method() + " " + r.target() + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
        r.headers().forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        if (!r.headers().containsKey("Connection")) {
            sb.append("Connection: close\r\n");
        }
        if (r.body() != null) {
            sb.append("Content-Length: ").append(body(r).length).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    private static byte[] body(Request r) {
        return r.body() == null ? new byte[0] : r.body().getBytes(StandardCharsets.UTF_8);
    }

    /** Opens an event stream, checks its events against {@code x-herald-events}, and answers its head. */
    static Answer stream(OpenApiCall c) {
        try (SseClient sse = SseClient.open(api.port(), c.request().target())) {
            Map<String, String> headers = new LinkedHashMap<>(sse.headers);
            if (sse.status != 200) {
                return new Answer(sse.status, headers, sse.body);
            }
            String events = OpenApiContract.pointer("paths", "/sse", "get", "responses", "200", "content",
                    "text/event-stream", "x-herald-events");
            for (int i = 0; i < 2; i++) {
                SseClient.Event subscribed = sse.expect("subscribed");
                assertThat(contract.validate(events + "/subscribed", subscribed.json())).as(subscribed.data()).isEmpty();
            }
            api.publish("doc:2", "hello", "{\"n\":1}");
            SseClient.Event message = sse.expect("message");
            assertThat(contract.validate(events + "/message", message.json())).as(message.data()).isEmpty();
            return new Answer(200, headers, "");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Answers outside any operation, frames, and the document itself

    @Test
    void answersToAnyRequestAreDocumented() {
        String any = "/x-herald-any-request/responses/";
        Map<String, Answer> answers = new LinkedHashMap<>();
        answers.put("404", send(Target.API, new Request("GET", "/api/nope", Map.of("X-Api-Key", TestServer.ADMIN_KEY), null)));
        answers.put("400", raw("GET /health HTTP/9.x\r\nHost: 127.0.0.1\r\n\r\n"));
        answers.put("405", send(Target.API, new Request("PUT", "/api/stats", Map.of("X-Api-Key", TestServer.ADMIN_KEY), null)));
        answers.put("413", send(Target.API, new Request("POST", "/api/stats", Map.of(), "x".repeat(MAX_REQUEST_SIZE + 1))));
        answers.put("414", raw("GET /health?" + "x".repeat(5000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        answers.put("417", raw("POST /api/publish HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: teapot\r\nContent-Length: 2\r\n\r\n{}"));
        answers.put("431", raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n"));
        answers.put("429", send(Target.ADDRESS_GATE, new Request("GET", "/nothing/at/all", Map.of(), null)));
        answers.put("503", send(Target.FULL_GATE, new Request("GET", "/nothing/at/all", Map.of(), null)));
        Set<String> documented = new TreeSet<>();
        contract.doc.at("/x-herald-any-request/responses").fieldNames().forEachRemaining(documented::add);
        assertThat(answers.keySet()).containsExactlyInAnyOrderElementsOf(documented);
        answers.forEach((status, answer) -> {
            assertThat(answer.status()).as(status).isEqualTo(Integer.parseInt(status));
            String response = contract.doc.at(any + status).get("$ref").asText().substring(1);
            assertThat(contract.checkAnswer(response, answer)).as("%s: %s", status, answer.body()).isEmpty();
        });
    }

    private static Answer raw(String request) {
        try (RawHttp http = RawHttp.connect(api.port())) {
            RawHttp.Response res = http.send(request).read();
            return new Answer(res.status(), res.headers(), res.body());
        }
    }

    /** The memory engine with {@link FailingEngine}'s failures, reporting itself down. */
    private static final class DownEngine extends ForwardingEngine {
        DownEngine() {
            super(new FailingEngine());
        }

        @Override
        public CompletableFuture<Engine.Health> health() {
            return CompletableFuture.completedFuture(new Engine.Health("memory", false, "down for the test"));
        }
    }
}
