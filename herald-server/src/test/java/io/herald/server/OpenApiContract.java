package io.herald.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import io.herald.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAPI 3.1 document read as a contract: its operations, and checks of a real request and
 * answer against them. Schemas are validated by networknt's json-schema-validator in OpenAPI 3.1's
 * dialect (JSON Schema draft 2020-12), with formats asserted; {@code $ref}s resolve inside the
 * document, never over the network. Each check returns what is wrong, empty when nothing is.
 */
final class OpenApiContract {
    /** Where the document pretends to live, so that its {@code #/…} references resolve within it. */
    private static final String BASE = "https://herald.invalid/api/openapi.json";
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** One operation: a method on a path template. */
    record Operation(String method, String path, JsonNode node, JsonNode pathItem) {
        /** {@code "GET /api/channels/{channel}"}. */
        String key() {
            return key(method, path);
        }

        static String key(String method, String path) {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }

        /** The path and operation parameters (resolved), the operation's winning on a name clash. */
        List<JsonNode> parameters(OpenApiContract contract) {
            Map<String, JsonNode> byName = new LinkedHashMap<>();
            for (JsonNode level : List.of(pathItem.path("parameters"), node.path("parameters"))) {
                for (JsonNode p : level) {
                    JsonNode resolved = contract.resolve(p);
                    byName.put(resolved.path("in").asText() + ":" + resolved.path("name").asText(), resolved);
                }
            }
            return new ArrayList<>(byName.values());
        }
    }

    /** A request as sent: its query parameters and path, decoded; its body, or null. */
    record Request(String method, String target, Map<String, String> headers, String body) {
        String path() {
            int q = target.indexOf('?');
            return target.substring(0, q < 0 ? target.length() : q);
        }

        Map<String, List<String>> query() {
            Map<String, List<String>> out = new LinkedHashMap<>();
            int q = target.indexOf('?');
            if (q < 0) {
                return out;
            }
            for (String pair : target.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                out.computeIfAbsent(name, n -> new ArrayList<>()).add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
            return out;
        }
    }

    /** An answer as received. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    final JsonNode doc;
    private final SchemaRegistry registry;

    OpenApiContract(JsonNode doc) {
        this.doc = doc;
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
                b -> b.schemaRegistryConfig(config).schemas(Map.of(BASE, Json.toString(doc))));
    }

    /** Every operation of the document, in its order. */
    List<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> it = path.getValue().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (METHODS.contains(e.getKey())) {
                    ops.add(new Operation(e.getKey(), path.getKey(), e.getValue(), path.getValue()));
                }
            }
        }
        return ops;
    }

    Optional<Operation> operation(String key) {
        return operations().stream().filter(o -> o.key().equals(key)).findFirst();
    }

    /** The node a JSON pointer ({@code #/a/b}) names, or a missing node. */
    JsonNode at(String ref) {
        if (!ref.startsWith("#")) {
            return JsonNodeFactory.instance.missingNode();
        }
        return doc.at(ref.substring(1));
    }

    /** {@code node}, or what its {@code $ref} names (references to references followed). */
    JsonNode resolve(JsonNode node) {
        for (int i = 0; i < 16 && node.has("$ref"); i++) {
            node = at(node.get("$ref").asText());
        }
        return node;
    }

    /** The JSON pointer of what {@code node} (inside the document) refers to, or of itself at {@code pointer}. */
    private String target(JsonNode node, String pointer) {
        for (int i = 0; i < 16 && node.has("$ref"); i++) {
            pointer = node.get("$ref").asText().substring(1);
            node = doc.at(pointer);
        }
        return pointer;
    }

    /** The response an operation documents for {@code status}, as a JSON pointer, if it does. */
    Optional<String> response(Operation op, int status) {
        String pointer = pointer("paths", op.path(), op.method(), "responses", Integer.toString(status));
        JsonNode r = doc.at(pointer);
        return r.isMissingNode() ? Optional.empty() : Optional.of(target(r, pointer));
    }

    /** The statuses an operation documents. */
    List<Integer> statuses(Operation op) {
        List<Integer> out = new ArrayList<>();
        op.node().path("responses").fieldNames().forEachRemaining(s -> out.add(Integer.parseInt(s)));
        return out;
    }

    /**
     * What is wrong with {@code answer} as the response at {@code responsePointer}: a media type it
     * does not list, a body its schema refuses, a body where it documents none, a required header
     * missing or refused by its schema.
     */
    List<String> checkAnswer(String responsePointer, Answer answer) {
        List<String> problems = new ArrayList<>();
        JsonNode response = doc.at(responsePointer);
        JsonNode content = response.path("content");
        String type = answer.header("content-type");
        if (content.isEmpty()) {
            if (!answer.body().isEmpty()) {
                problems.add("documents no body, got " + type + ": " + abbreviate(answer.body()));
            }
        } else {
            String mediaType = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
            if (!content.has(mediaType)) {
                problems.add("content type " + type + " is not among " + names(content));
            } else {
                JsonNode body = mediaType.endsWith("json") ? parse(answer.body(), problems) : TextNode.valueOf(answer.body());
                if (body != null) {
                    problems.addAll(validate(responsePointer + "/content/" + escape(mediaType) + "/schema", body));
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = response.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            String headerPointer = target(h.getValue(), responsePointer + "/headers/" + escape(h.getKey()));
            JsonNode header = doc.at(headerPointer);
            String value = answer.header(h.getKey());
            if (value == null) {
                if (header.path("required").asBoolean()) {
                    problems.add("no " + h.getKey() + " header");
                }
            } else if (header.has("schema")) {
                problems.addAll(validate(headerPointer + "/schema", TextNode.valueOf(value)));
            }
        }
        return problems;
    }

    /**
     * What is wrong with {@code request} for {@code op}: a parameter it does not document, a required
     * one missing, a value or a body that the documented schemas refuse.
     */
    List<String> checkRequest(Operation op, Request request) {
        List<String> problems = new ArrayList<>();
        Map<String, String> pathValues = matchPath(op.path(), request.path());
        if (pathValues == null) {
            return List.of(request.path() + " does not match " + op.path());
        }
        Map<String, List<String>> query = request.query();
        List<JsonNode> params = op.parameters(this);
        Set<String> credentials = queryCredentials(op);
        for (String name : query.keySet()) {
            if (!credentials.contains(name)
                    && params.stream().noneMatch(p -> p.path("in").asText().equals("query") && p.path("name").asText().equals(name))) {
                problems.add("query parameter '" + name + "' is not documented");
            }
        }
        for (JsonNode p : params) {
            String name = p.path("name").asText();
            List<String> values = switch (p.path("in").asText()) {
                case "path" -> pathValues.containsKey(name) ? List.of(pathValues.get(name)) : List.of();
                case "query" -> query.getOrDefault(name, List.of());
                case "header" -> request.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                        .map(Map.Entry::getValue).toList();
                default -> List.of();
            };
            if (values.isEmpty()) {
                if (p.path("required").asBoolean()) {
                    problems.add("required " + p.path("in").asText() + " parameter '" + name + "' is missing");
                }
                continue;
            }
            JsonNode schema = resolve(p.path("schema"));
            JsonNode value = "array".equals(schema.path("type").asText()) ? array(values) : scalar(values.get(0), schema);
            problems.addAll(validate(parameterSchema(op, p), value).stream().map(e -> name + ": " + e).toList());
        }
        JsonNode body = op.node().path("requestBody");
        if (request.body() != null && !request.body().isEmpty()) {
            if (body.isMissingNode()) {
                problems.add("documents no request body");
            } else {
                JsonNode json = parse(request.body(), problems);
                if (json != null) {
                    problems.addAll(validate(pointer("paths", op.path(), op.method(), "requestBody", "content",
                            "application/json", "schema"), json));
                }
            }
        } else if (body.path("required").asBoolean()) {
            problems.add("the request body is required");
        }
        return problems;
    }

    /** The query parameters that carry credentials for {@code op}: its security schemes of type apiKey in the query. */
    private Set<String> queryCredentials(Operation op) {
        Set<String> names = new java.util.TreeSet<>();
        for (JsonNode requirement : op.node().path("security")) {
            requirement.fieldNames().forEachRemaining(scheme -> {
                JsonNode s = doc.path("components").path("securitySchemes").path(scheme);
                if (s.path("type").asText().equals("apiKey") && s.path("in").asText().equals("query")) {
                    names.add(s.path("name").asText());
                }
            });
        }
        return names;
    }

    /** What is wrong with the schema at {@code pointer} as a JSON Schema draft 2020-12 schema (its meta-schema's verdict). */
    List<String> validateAgainstMetaSchema(String pointer) {
        Schema meta = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        return meta.validate(doc.at(pointer)).stream().map(e -> pointer + ": " + e.getMessage()).toList();
    }

    /** Validates {@code instance} against the schema at {@code pointer}; the errors, as text. */
    List<String> validate(String pointer, JsonNode instance) {
        Schema schema = registry.getSchema(SchemaLocation.of(BASE + "#" + pointer));
        List<Error> errors = schema.validate(instance);
        return errors.stream().map(e -> pointer + ": " + e.getMessage()).toList();
    }

    /** The pointer of a parameter's schema, wherever the parameter is written. */
    private String parameterSchema(Operation op, JsonNode resolved) {
        String[] levels = {pointer("paths", op.path(), op.method()), pointer("paths", op.path())};
        for (String level : levels) {
            JsonNode list = doc.at(level + "/parameters");
            for (int i = 0; i < list.size(); i++) {
                String at = target(list.get(i), level + "/parameters/" + i);
                if (doc.at(at) == resolved) {
                    return at + "/schema";
                }
            }
        }
        throw new IllegalStateException("parameter not found: " + resolved);
    }

    /** The path parameters of {@code path} when it matches {@code template} ({@code {name}} is one segment), else null. */
    static Map<String, String> matchPath(String template, String path) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(template);
        StringBuilder regex = new StringBuilder("^");
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append("$");
        Matcher p = Pattern.compile(regex.toString()).matcher(path);
        if (!p.matches()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), decode(p.group(i + 1)));
        }
        return values;
    }

    /** A JSON pointer from unescaped tokens. */
    static String pointer(String... tokens) {
        StringBuilder sb = new StringBuilder();
        for (String t : tokens) {
            sb.append('/').append(escape(t));
        }
        return sb.toString();
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static JsonNode scalar(String value, JsonNode schema) {
        String type = schema.path("type").asText();
        if (type.equals("integer")) {
            try {
                return LongNode.valueOf(Long.parseLong(value));
            } catch (NumberFormatException notANumber) {
                return TextNode.valueOf(value); // refused by the schema's type
            }
        }
        if (type.equals("boolean") && (value.equals("true") || value.equals("false"))) {
            return BooleanNode.valueOf(value.equals("true"));
        }
        return TextNode.valueOf(value);
    }

    private static ArrayNode array(List<String> values) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        values.forEach(a::add);
        return a;
    }

    private static JsonNode parse(String text, List<String> problems) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            problems.add("not JSON: " + abbreviate(text));
            return null;
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
