package io.herald.examples.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Publishes to Herald's HTTP API ({@code POST /api/publish}) with a publish key, as an
 * application's backend does: a list of messages goes as one array publish, which Herald checks
 * as a whole before it publishes any of them, in order.
 *
 * <pre>{@code
 * HttpPublisher publisher = new HttpPublisher(URI.create("http://127.0.0.1:8080"), key);
 * publisher.publish(List.of(HttpPublisher.message("settings:acme", "setting", data).put("key", "ui.theme")));
 * }</pre>
 *
 * <p>Thread-safe; {@link #publish} blocks until Herald answers (at most 10 s).
 */
public final class HttpPublisher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI publishUri;
    private final String apiKey;

    /** A publisher to the Herald at {@code herald} (e.g. {@code http://127.0.0.1:8080}) with the publish key {@code apiKey}. */
    public HttpPublisher(URI herald, String apiKey) {
        this.publishUri = herald.resolve("/api/publish");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    }

    /** A message to publish: {@code {"channel","event","data"}}; add {@code key}, {@code critical} to it as needed. */
    public static ObjectNode message(String channel, String event, Object data) {
        ObjectNode m = JSON.createObjectNode().put("channel", channel).put("event", event);
        m.set("data", JSON.valueToTree(data));
        return m;
    }

    /**
     * Publishes {@code messages} as one array publish and returns Herald's answer
     * ({@code {"results":[{"channel","offset","ts"},…]}}).
     *
     * @throws IllegalStateException when Herald refuses them (its error in the message)
     * @throws UncheckedIOException when Herald cannot be reached
     */
    public JsonNode publish(List<ObjectNode> messages) {
        ArrayNode body = JSON.createArrayNode().addAll(messages);
        HttpRequest request = HttpRequest.newBuilder(publishUri).timeout(TIMEOUT)
                .header("X-Api-Key", apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Herald refused the publish: " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish to " + publishUri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    @Override
    public String toString() {
        return "HttpPublisher[" + publishUri + ", key=(hidden)]";
    }
}
