package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's page and assets, built from {@code dashboard/} into the jar: open to everyone (the
 * data needs admin credentials, which the page asks for), from this origin only.
 */
class DashboardFilesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageAtTheRootWithAPolicyThatAllowsOnlyThisOrigin() throws Exception {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        String policy = r.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe", "http:", "https:", "*");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(r.body()).contains("<title>Herald dashboard</title>", "src=\"/dashboard/app.js\"", "href=\"/dashboard/app.css\"")
                .doesNotContain("http://", "https://");
    }

    @Test
    void servesItsScriptWithUPlotBundledAndTheClientFromThisServer() throws Exception {
        HttpResponse<String> js = get("/dashboard/app.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(js.body()).contains("from\"/herald.js\"", "$herald:stats", "u-legend").doesNotContain("https://");
        HttpResponse<String> css = get("/dashboard/app.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(css.body()).contains(".uplot", ".tiles");
    }

    @Test
    void answersAnUnknownAssetWith404() throws Exception {
        assertThat(get("/dashboard/other.js").statusCode()).isEqualTo(404);
        assertThat(get("/index.html").statusCode()).isEqualTo(404);
    }
}
