package io.herald.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.herald.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * {@code GET /api/openapi.json}: the OpenAPI 3.1 description of the HTTP API. It is written by
 * hand in YAML ({@link #RESOURCE}, for reading and review), converted to JSON once, when the first
 * server of the JVM starts ({@link #get()}), and answered from those bytes with an {@code ETag}, so
 * a client revalidates with a 304.
 * {@code OpenApiTest} checks the real server's answers against it. Immutable and thread-safe.
 */
final class OpenApiDocument {
    /** The class path resource of the document, beside the public package. */
    static final String RESOURCE = "/io/herald/server/openapi.yaml";
    /** How long a client may use its copy without asking again: it changes only with the version. */
    static final String CACHE_CONTROL = "public, max-age=300";

    private final byte[] json;
    private final String etag;

    private OpenApiDocument(byte[] json) {
        this.json = json;
        this.etag = etag(json);
    }

    /** The document of this jar, with the server's version; read on first use. */
    static OpenApiDocument get() {
        return Holder.DOCUMENT;
    }

    private static final class Holder {
        static final OpenApiDocument DOCUMENT = load(ServerContext.VERSION);
    }

    /**
     * Reads {@link #RESOURCE} and sets {@code info.version} to {@code version}.
     *
     * @throws IllegalStateException when the resource is missing or is not a YAML mapping: a
     *                               defect of the build, found at start
     */
    static OpenApiDocument load(String version) {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            JsonNode root = YAMLMapper.builder().build().readTree(in);
            if (!(root instanceof ObjectNode doc) || !(doc.get("info") instanceof ObjectNode info)) {
                throw new IllegalStateException(RESOURCE + " is not an OpenAPI document");
            }
            info.put("version", version);
            return new OpenApiDocument(Json.MAPPER.writeValueAsBytes(doc));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Answers the document, or 304 when the request's {@code If-None-Match} names its {@code ETag}. */
    void answer(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
        boolean current = matches(req.headers().get(HttpHeaderNames.IF_NONE_MATCH));
        FullHttpResponse res = current
                ? new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED)
                : new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(json));
        if (!current) {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
        res.headers().set(HttpHeaderNames.ETAG, etag).set(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL);
        HttpResponses.send(ctx, keepAlive, res);
    }

    /** Whether an {@code If-None-Match} value ({@code *}, or a list of tags, weak or strong) names this version. */
    private boolean matches(String ifNoneMatch) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::trim)
                .map(t -> t.startsWith("W/") ? t.substring(2) : t)
                .anyMatch(t -> t.equals("*") || t.equals(etag));
    }

    /** A strong entity tag: the first 96 bits of the document's SHA-256, base64url. */
    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
