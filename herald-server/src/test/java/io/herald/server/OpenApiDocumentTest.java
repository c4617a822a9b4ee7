package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.ErrorCode;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.herald.server.OpenApiContract.Operation;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/openapi.json} as a document: a valid OpenAPI 3.1 description (swagger-parser, offline,
 * and checks of our own), whose error codes are Herald's, and whose WebSocket frame schemas
 * ({@code x-herald-websocket}) match the frames of a real session. {@link OpenApiTest} checks the
 * HTTP answers.
 */
class OpenApiDocumentTest {
    static TestServer api;
    static OpenApiContract contract;
    static String userToken;
    static String adminToken;

    @BeforeAll
    static void start() {
        NamespaceOptions kept = NamespaceOptions.newBuilder().retained(true).build();
        api = TestServer.start(b -> b, HeraldConfig.newBuilder().namespaces(Map.of("kept", kept)).build());
        TestServer.Response document = api.request("GET", "/api/openapi.json", null);
        assertThat(document.status()).isEqualTo(200);
        contract = new OpenApiContract(document.json());
        userToken = TestServer.token("alice", List.of("doc:*"), List.of("doc:*"), false, Duration.ofHours(1));
        adminToken = TestServer.token("operator", List.of(), List.of(), true, Duration.ofHours(1));
        api.post("/api/publish", "{\"channel\":\"kept:1\",\"event\":\"settings\",\"key\":\"theme\",\"data\":\"dark\"}");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void webSocketFramesMatchTheirDocumentedSchemas() {
        String frames = "/components/schemas/";
        List<JsonNode> seen = new ArrayList<>();
        try (TestClient c = TestClient.connect(api.port(), "/ws?token=" + userToken)) {
            seen.add(c.next()); // welcome
            c.send("{\"type\":\"subscribe\",\"id\":1,\"channel\":\"doc:3\",\"since\":{\"epoch\":\"x1\",\"offset\":0}}");
            seen.add(c.next());
            c.send("{\"type\":\"publish\",\"id\":\"p\",\"channel\":\"doc:3\",\"event\":\"hello\",\"data\":[1]}");
            seen.add(c.awaitFrame(f -> f.path("type").asText().equals("published")));
            // four at once: should the first go out alone (its channel quiet), the others still share a batch
            api.post("/api/publish", "[{\"channel\":\"doc:3\",\"event\":\"a\"},{\"channel\":\"doc:3\",\"event\":\"b\"},"
                    + "{\"channel\":\"doc:3\",\"event\":\"c\",\"key\":\"k\"},{\"channel\":\"doc:3\",\"event\":\"d\"}]");
            seen.add(c.awaitFrame(f -> f.path("type").asText().equals("batch")));
            c.send("{\"type\":\"ping\",\"id\":2}");
            seen.add(c.awaitFrame(f -> f.path("type").asText().equals("pong")));
            c.send("{\"type\":\"subscribe\",\"channel\":\"no spaces\"}");
            seen.add(c.awaitFrame(f -> f.path("type").asText().equals("error")));
            c.send("{\"type\":\"unsubscribe\",\"channel\":\"doc:3\"}");
            seen.add(c.awaitFrame(f -> f.path("type").asText().equals("unsubscribed")));
        }
        try (TestClient c = TestClient.connect(api.port(), "/ws/kept:1?token=" + adminToken)) {
            c.next(); // welcome
            seen.add(c.next()); // subscribed, with the retained state
            assertThat(seen.get(seen.size() - 1).has("state")).isTrue();
            api.post("/api/publish", "{\"channel\":\"kept:1\",\"event\":\"settings\",\"key\":\"theme\",\"data\":\"light\"}");
            seen.add(c.expect("message"));
        }
        Set<String> types = new TreeSet<>();
        for (JsonNode frame : seen) {
            types.add(frame.path("type").asText());
            assertThat(contract.validate(frames + "ServerFrame", frame)).as("%s", frame).isEmpty();
        }
        assertThat(types).contains("welcome", "subscribed", "published", "batch", "pong", "error", "unsubscribed", "message");
        for (String command : List.of("{\"type\":\"connect\",\"token\":\"t\"}", "{\"type\":\"ping\",\"id\":[1]}",
                "{\"type\":\"subscribe\",\"channel\":\"a:1\",\"events\":[\"x\"],\"since\":{\"epoch\":\"e1\",\"offset\":3}}",
                "{\"type\":\"publish\",\"channel\":\"a:1\",\"event\":\"x\",\"data\":{},\"key\":\"k\",\"critical\":true}")) {
            assertThat(contract.validate(frames + "ClientCommand", OpenApiContract.json(command))).as(command).isEmpty();
        }
        assertThat(contract.validate(frames + "ClientCommand", OpenApiContract.json("{\"type\":\"subscribe\"}")))
                .as("a subscribe without a channel").isNotEmpty();
    }

    @Test
    void theDocumentIsAValidOpenApi31Description() {
        JsonNode doc = contract.doc;
        assertThat(doc.path("openapi").asText()).matches("3\\.1\\.\\d+");
        assertThat(doc.at("/info/version").asText()).as("the server's version").isNotBlank().isNotEqualTo("0.0.0");

        // a real parser: no errors, no warnings
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(doc.toString(), null, options);
        assertThat(parsed.getMessages()).as("swagger-parser").isEmpty();
        assertThat(parsed.getOpenAPI().getSpecVersion().name()).isEqualTo("V31");

        // every $ref resolves; every schema is a valid JSON Schema 2020-12 schema
        List<String> refs = new ArrayList<>();
        List<String> schemas = new ArrayList<>();
        walk(doc, "", refs, schemas);
        assertThat(refs).as("references").isNotEmpty()
                .allSatisfy(r -> assertThat(contract.at(r).isMissingNode()).as("%s resolves", r).isFalse());
        for (String pointer : schemas) {
            assertThat(contract.validateAgainstMetaSchema(pointer)).as("%s is a valid schema", pointer).isEmpty();
        }

        Set<String> operationIds = new LinkedHashSet<>();
        for (Operation op : contract.operations()) {
            String id = op.node().path("operationId").asText("");
            assertThat(id.isEmpty() || operationIds.add(id)).as("operationId %s is unique", id).isTrue();
            // every path parameter is declared, required, and in the template; and no other
            Set<String> inTemplate = new TreeSet<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(op.path());
            while (m.find()) {
                inTemplate.add(m.group(1));
            }
            Set<String> declared = new TreeSet<>();
            for (JsonNode p : op.parameters(contract)) {
                if (p.path("in").asText().equals("path")) {
                    assertThat(p.path("required").asBoolean()).as("%s: path parameter %s is required", op.key(), p.path("name"))
                            .isTrue();
                    declared.add(p.path("name").asText());
                }
            }
            assertThat(declared).as("%s: declared path parameters", op.key()).isEqualTo(inTemplate);
            assertThat(op.node().path("responses").size()).as("%s has responses", op.key()).isPositive();
            for (JsonNode requirement : op.node().path("security")) {
                requirement.fieldNames().forEachRemaining(scheme -> assertThat(doc.at("/components/securitySchemes")
                        .has(scheme)).as("%s: security scheme %s", op.key(), scheme).isTrue());
            }
        }
    }

    @Test
    void everyCallInTheReadmeIsDocumented() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
        String table = readme.substring(readme.indexOf("## HTTP API"), readme.indexOf("\n## ", readme.indexOf("## HTTP API") + 1));
        Matcher m = Pattern.compile("`(GET|POST|DELETE) (/[^`\\[?\\s]*)").matcher(table);
        Set<String> calls = new TreeSet<>();
        while (m.find()) {
            calls.add(OpenApiContract.Operation.key(m.group(1), m.group(2)));
        }
        Set<String> documented = new TreeSet<>();
        contract.operations().forEach(op -> documented.add(op.key()));
        assertThat(calls).as("the README's HTTP API section").hasSizeGreaterThan(10);
        assertThat(documented).as("operations of /api/openapi.json").containsAll(calls);
    }

    @Test
    void errorCodesAndStatusesAreHeraldsOwn() {
        List<String> wire = Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList();
        List<String> documented = new ArrayList<>();
        contract.doc.at("/components/schemas/ErrorCode/enum").forEach(n -> documented.add(n.asText()));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(wire);
        // an error answer's status is of its code's class (a 401 documents unauthorized, a 426 bad_request, …)
        for (Operation op : contract.operations()) {
            for (int status : contract.statuses(op)) {
                String response = contract.response(op, status).orElseThrow();
                for (String code : errorCodes(contract.doc.at(response + "/content/application~1json/schema"))) {
                    ErrorCode e = Arrays.stream(ErrorCode.values()).filter(c -> c.wire().equals(code)).findFirst().orElseThrow();
                    assertThat(status / 100).as("%s %d documents %s", op.key(), status, code).isEqualTo(e.httpStatus() / 100);
                }
            }
        }
    }

    /** The error codes a response schema pins ({@code const} on {@code error.code}), through refs and oneOf. */
    private static List<String> errorCodes(JsonNode schema) {
        JsonNode s = contract.resolve(schema);
        List<String> out = new ArrayList<>();
        JsonNode code = s.at("/properties/error/properties/code/const");
        if (code.isTextual()) {
            out.add(code.asText());
        }
        for (JsonNode alternative : s.path("oneOf")) {
            out.addAll(errorCodes(alternative));
        }
        return out;
    }

    private static void walk(JsonNode node, String pointer, List<String> refs, List<String> schemas) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String child = pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else if (e.getKey().equals("schema") || pointer.equals("/components/schemas")) {
                    schemas.add(child);
                }
                walk(e.getValue(), child, refs, schemas);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, refs, schemas);
            }
        }
    }
}
