package io.herald.server.internal;

import io.herald.HeraldException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * The files built into the jar and served as they are, open to everyone (no credentials):
 * <ul>
 * <li>the browser client's bundles, from {@code clients/js}: {@code GET /herald.js} and
 *     {@code /herald-react.js}, with CORS open to any origin (a module script is fetched with CORS);
 * <li>the dashboard, from {@code dashboard}: its page at {@code /} and {@code /dashboard/app.js},
 *     {@code /dashboard/app.css}, same-origin only; the page's Content-Security-Policy allows
 *     nothing but this origin (its data needs admin credentials, which the page asks for).
 * </ul>
 * Each is gzipped for a client that accepts it and revalidated by ETag on every load
 * ({@code no-cache}: the URLs have no version, and a server upgrade must reach pages). Read and
 * gzipped once, when the server starts ({@link #load()}), not on an event loop; immutable.
 */
final class StaticFiles {
    private static final String RESOURCE_DIR = "/io/herald/server/public/";
    private static final String JS = "text/javascript; charset=utf-8";
    /** The dashboard page loads its script, style and data from this origin only. */
    static final String DASHBOARD_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** A file served at {@code path}: its resource under {@link #RESOURCE_DIR}, its type, and who may load it. */
    private record Spec(String path, String resource, String contentType, Access access, String builtFrom) {
    }

    private enum Access {
        /** Any origin may load it (CORS {@code *}). */
        ANY_ORIGIN,
        /** This origin only. */
        SAME_ORIGIN,
        /** A page of this origin only, with its Content-Security-Policy, never framed. */
        PAGE
    }

    private static final List<Spec> SPECS = List.of(
            new Spec("/herald.js", "herald.js", JS, Access.ANY_ORIGIN, "clients/js"),
            new Spec("/herald-react.js", "herald-react.js", JS, Access.ANY_ORIGIN, "clients/js"),
            new Spec("/", "dashboard/index.html", "text/html; charset=utf-8", Access.PAGE, "dashboard"),
            new Spec("/dashboard/app.js", "dashboard/app.js", JS, Access.SAME_ORIGIN, "dashboard"),
            new Spec("/dashboard/app.css", "dashboard/app.css", "text/css; charset=utf-8", Access.SAME_ORIGIN, "dashboard"));

    private final Spec spec;
    private final byte[] plain;
    private final byte[] gzipped;
    private final String etag;

    private StaticFiles(Spec spec, byte[] plain) {
        this.spec = spec;
        this.plain = plain;
        this.gzipped = gzip(plain);
        this.etag = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(plain)).substring(0, 22) + "\"";
    }

    /**
     * Every file by path ({@code /herald.js}, {@code /}…), each empty when this build has none (built
     * without clients/js or the dashboard, as a test run from an IDE may be).
     */
    static Map<String, Lookup> load() {
        Map<String, Lookup> files = new HashMap<>();
        for (Spec s : SPECS) {
            files.put(s.path, new Lookup(s, read(s)));
        }
        return Map.copyOf(files);
    }

    /** A path's file, if this build has it. */
    record Lookup(Spec spec, Optional<StaticFiles> file) {
    }

    /**
     * Answers {@code GET path} with its file, or 304 when the request's {@code If-None-Match} has
     * its ETag.
     *
     * @throws HeraldException {@code not_found} when this build has no such file
     */
    static void serve(ChannelHandlerContext ctx, HttpRequest req, Lookup found, boolean keepAlive) {
        StaticFiles file = found.file.orElseThrow(() -> HeraldException.notFound(found.spec.path
                + " is not in this build: the build of herald-server bundles it from " + found.spec.builtFrom));
        String ifNoneMatch = req.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        boolean notModified = ifNoneMatch != null && ifNoneMatch.contains(file.etag);
        boolean gzip = !notModified && acceptsGzip(req.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
        byte[] body = notModified ? new byte[0] : gzip ? file.gzipped : file.plain;
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
        HttpHeaders h = res.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, file.spec.contentType)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.ETAG, file.etag)
                .set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING)
                .set("X-Content-Type-Options", "nosniff");
        switch (file.spec.access) {
            case ANY_ORIGIN -> h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            case PAGE -> h.set(HttpHeaderNames.CONTENT_SECURITY_POLICY, DASHBOARD_POLICY)
                    .set("X-Frame-Options", "DENY")
                    .set("Referrer-Policy", "no-referrer");
            case SAME_ORIGIN -> {
            }
        }
        if (gzip && !notModified) {
            h.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        }
        HttpResponses.send(ctx, keepAlive, res);
    }

    private static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.trim().split(";");
            if (parts[0].trim().equalsIgnoreCase("gzip")) {
                return parts.length == 1 || !parts[1].replace(" ", "").matches("q=0(\\.0*)?");
            }
        }
        return false;
    }

    private static Optional<StaticFiles> read(Spec spec) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(RESOURCE_DIR + spec.resource)) {
            return in == null ? Optional.empty() : Optional.of(new StaticFiles(spec, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + spec.resource, e);
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: does not happen
        }
        return out.toByteArray();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
