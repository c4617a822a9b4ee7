package io.herald.server.internal;

import io.herald.HeraldException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
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
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * The browser client's bundles (built from {@code clients/js} into the jar): {@code GET /herald.js}
 * and {@code /herald-react.js}, so a page can {@code import { Herald } from '/herald.js'} with
 * nothing installed. Open to everyone (no credentials, any origin: a module script is fetched with
 * CORS), gzipped for a client that accepts it, revalidated by ETag on every load ({@code no-cache}:
 * the URL has no version, and a server upgrade must reach pages). Read and gzipped once, when the
 * server starts ({@link #load()}), not on an event loop; immutable.
 */
final class ClientBundle {
    private static final String RESOURCE_DIR = "/io/herald/server/public/";
    private static final String[] NAMES = {"herald.js", "herald-react.js"};

    private final byte[] plain;
    private final byte[] gzipped;
    private final String etag;

    private ClientBundle(byte[] plain) {
        this.plain = plain;
        this.gzipped = gzip(plain);
        this.etag = "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(plain)).substring(0, 22) + "\"";
    }

    /** The bundles by path ({@code /herald.js}…), each empty when this build has none (built without clients/js). */
    static Map<String, Optional<ClientBundle>> load() {
        Map<String, Optional<ClientBundle>> bundles = new HashMap<>();
        for (String name : NAMES) {
            bundles.put("/" + name, load(name));
        }
        return Map.copyOf(bundles);
    }

    /**
     * Answers {@code GET path} with {@code bundle}, or 304 when the request's {@code If-None-Match}
     * has its ETag.
     *
     * @throws HeraldException {@code not_found} when this build has no such bundle
     */
    static void serve(ChannelHandlerContext ctx, HttpRequest req, String path, Optional<ClientBundle> found,
            boolean keepAlive) {
        ClientBundle bundle = found.orElseThrow(() -> HeraldException.notFound(
                path + " is not in this build: the build of herald-server bundles it from clients/js"));
        String ifNoneMatch = req.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        boolean notModified = ifNoneMatch != null && ifNoneMatch.contains(bundle.etag);
        boolean gzip = !notModified && acceptsGzip(req.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
        byte[] body = notModified ? new byte[0] : gzip ? bundle.gzipped : bundle.plain;
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
        res.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/javascript; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.ETAG, bundle.etag)
                .set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .set("X-Content-Type-Options", "nosniff");
        if (gzip && !notModified) {
            res.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
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

    private static Optional<ClientBundle> load(String name) {
        try (InputStream in = ClientBundle.class.getResourceAsStream(RESOURCE_DIR + name)) {
            return in == null ? Optional.empty() : Optional.of(new ClientBundle(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + name, e);
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
