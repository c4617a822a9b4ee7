package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The browser client's bundles, served from the jar at {@code /herald.js} and {@code /herald-react.js}. */
class ClientBundleTest {
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

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesTheClientAsAJavaScriptModuleWithoutCredentialsToAnyOrigin() throws Exception {
        HttpResponse<byte[]> r = get("/herald.js");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        String js = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(js).contains("export{").contains("Herald").contains("HeraldError");
    }

    @Test
    void gzipsItForAClientThatAcceptsGzipAndAnswers304ForItsETag() throws Exception {
        HttpResponse<byte[]> plain = get("/herald.js");
        HttpResponse<byte[]> gz = get("/herald.js", "Accept-Encoding", "br, gzip");
        assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(gz.body())).isEqualTo(plain.body());
        assertThat(gz.body().length).as("gzipped size of herald.js").isLessThanOrEqualTo(6 * 1024);

        String etag = plain.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = get("/herald.js", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void servesTheReactEntryImportingTheMainOne() throws Exception {
        HttpResponse<byte[]> r = get("/herald-react.js");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("from\"./herald.js\"").contains("from\"react\"");
    }

    @Test
    void refusesAnotherMethod() {
        TestServer.Response r = server.request("POST", "/herald.js", "x");
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("method_not_allowed");
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }
}
