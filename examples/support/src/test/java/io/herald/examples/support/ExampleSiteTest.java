package io.herald.examples.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.examples.support.ExampleSite.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExampleSiteTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ExampleSite site = ExampleSite.start("127.0.0.1", 0, "site")
            .route("GET", "/api/hello", r -> Reply.json(Map.of("hello", r.query().getOrDefault("name", "?"))))
            .route("POST", "/api/items/", r -> Reply.json(Map.of("id", r.rest("/api/items/"), "n", r.json().path("n").asInt())));

    @AfterEach
    void close() {
        site.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(site.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAndItsFilesWithTheirTypes() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("test page");
        assertThat(get("/app.js").headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(get("/missing.js").statusCode()).isEqualTo(404);
        assertThat(get("/../site/index.html").statusCode()).isEqualTo(404);
    }

    @Test
    void answersRoutesByExactPathOrPrefixAndUnknownApiPathsWithAJsonError() throws Exception {
        assertThat(get("/api/hello?name=ann").body()).isEqualTo("{\"hello\":\"ann\"}");
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(site.uri().resolve("/api/items/7"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":3}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.body()).isEqualTo("{\"id\":\"7\",\"n\":3}");
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(site.uri().resolve("/api/items/7"))
                .POST(HttpRequest.BodyPublishers.ofString("{nope")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"code\":\"bad_request\"");
        HttpResponse<String> unknown = get("/api/nothing");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"code\":\"not_found\"");
    }

    @Test
    void namesBothLoopbackOriginsForHeraldsAllowedOrigins() {
        assertThat(site.origins()).containsExactly("http://127.0.0.1:" + site.port(), "http://localhost:" + site.port());
    }
}
