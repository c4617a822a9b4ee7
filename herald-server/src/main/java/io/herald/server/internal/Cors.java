package io.herald.server.internal;

import io.herald.HeraldException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;

/**
 * Cross-origin access to the HTTP API and to {@code /sse} (SPEC §8): a page of an origin that
 * {@code allowedOrigins} lists (or of Herald's own host) may call them from a browser. Its
 * preflight gets 204 with the methods and headers the endpoint takes; another origin's gets 403
 * ({@code forbidden}) and no CORS header, so the browser refuses the call. The answer to an allowed
 * origin's request carries {@code Access-Control-Allow-Origin} naming it (never {@code *}: API
 * calls carry credentials).
 */
final class Cors {
    /** The allowed origin of the request being answered on this connection, or null: read by {@link HttpResponses}. */
    static final AttributeKey<String> ORIGIN = AttributeKey.valueOf("herald.cors.origin");
    /** What the HTTP API takes: its methods, and the headers a call may set. */
    static final String API_METHODS = "GET, POST, DELETE";
    static final String API_HEADERS = "Authorization, Content-Type, X-Api-Key";
    /** What {@code /sse} takes (a cross-origin reconnect carries {@code Last-Event-ID}). */
    static final String SSE_METHODS = "GET";
    static final String SSE_HEADERS = "Authorization, Last-Event-ID, Cache-Control";

    private Cors() {
    }

    /** The request's {@code Origin} when it is present and allowed, else null. */
    static String allowedOrigin(ServerContext server, HttpRequest req) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null || origin.isEmpty() || !server.auth().originAllowed(origin, req.headers().get(HttpHeaderNames.HOST))) {
            return null;
        }
        return origin;
    }

    /** The CORS headers of an answer to {@code origin} (already allowed); none for null. */
    static HttpHeaders headers(String origin) {
        if (origin == null || origin.isEmpty()) {
            return EmptyHttpHeaders.INSTANCE;
        }
        return new DefaultHttpHeaders().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                .set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
    }

    /**
     * Answers a preflight: 204 with {@code methods} and {@code headers} for an allowed origin.
     *
     * @throws HeraldException {@code forbidden} for a missing or refused origin
     */
    static void preflight(ChannelHandlerContext ctx, ServerContext server, HttpRequest req, String methods, String headers) {
        String origin = allowedOrigin(server, req);
        if (origin == null) {
            throw HeraldException.forbidden("origin not allowed: add it to allowedOrigins to call Herald from its pages");
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        res.headers().set(headers(origin))
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, methods)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, headers)
                .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600")
                .set(HttpHeaderNames.CONTENT_LENGTH, 0);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(res, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
