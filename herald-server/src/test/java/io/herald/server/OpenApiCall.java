package io.herald.server;

import io.herald.server.OpenApiContract.Answer;
import io.herald.server.OpenApiContract.Request;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One call of {@link OpenApiTest}: an operation of the document ({@code "GET /api/channels/{channel}"}),
 * a real request for it, the server it goes to and the status it must get. {@code documentRefuses}:
 * the document must refuse the request too (its parameters or body break the documented schemas).
 * {@code exchange} sends it; null for one request and one answer on a new connection.
 */
record OpenApiCall(String operation, String label, Target target, Request request, int status, boolean documentRefuses,
        Function<OpenApiCall, Answer> exchange) {
    /** The servers a call can go to (see {@link OpenApiTest}). */
    enum Target {
        /** Configured for the calls: CORS origin, small limits, a retained namespace. */
        API,
        /** An engine that fails publishes to {@code down:*}, reports itself down, and no Prometheus registry. */
        FAULTY,
        /** Over {@code limits.maxConnectionsPerIp} (1, held): the connection gate answers 429. */
        ADDRESS_GATE,
        /** Over {@code limits.maxConnections} (1, held): the connection gate answers 503. */
        FULL_GATE
    }

    /** A call of {@code operation} with {@code target} ("/api/channels/doc:1"), to the API server, expecting 200. */
    static OpenApiCall of(String operation, String label, String target) {
        String method = operation.substring(0, operation.indexOf(' '));
        return new OpenApiCall(operation, label, Target.API, new Request(method, target, Map.of(), null), 200, false, null);
    }

    OpenApiCall labelled(String l) {
        return new OpenApiCall(operation, l, target, request, status, false, exchange);
    }

    OpenApiCall expect(int s) {
        return new OpenApiCall(operation, label, target, request, s, documentRefuses, exchange);
    }

    OpenApiCall refused() {
        return new OpenApiCall(operation, label, target, request, status, true, exchange);
    }

    OpenApiCall on(Target t) {
        return new OpenApiCall(operation, label, t, request, status, documentRefuses, exchange);
    }

    OpenApiCall body(String json) {
        Map<String, String> h = new LinkedHashMap<>(request.headers());
        h.put("Content-Type", "application/json");
        return with(new Request(request.method(), request.target(), h, json));
    }

    OpenApiCall header(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(request.headers());
        h.put(name, value);
        return with(new Request(request.method(), request.target(), h, request.body()));
    }

    OpenApiCall without(String name) {
        Map<String, String> h = new LinkedHashMap<>(request.headers());
        h.remove(name);
        return with(new Request(request.method(), request.target(), h, request.body()));
    }

    OpenApiCall admin() {
        return header("X-Api-Key", TestServer.ADMIN_KEY);
    }

    OpenApiCall publisher() {
        return header("X-Api-Key", TestServer.PUBLISH_KEY);
    }

    OpenApiCall exchange(Function<OpenApiCall, Answer> e) {
        return new OpenApiCall(operation, label, target, request, status, documentRefuses, e);
    }

    private OpenApiCall with(Request r) {
        return new OpenApiCall(operation, label, target, r, status, documentRefuses, exchange);
    }

    @Override
    public String toString() {
        return operation + " → " + status + " (" + label + ")";
    }
}
