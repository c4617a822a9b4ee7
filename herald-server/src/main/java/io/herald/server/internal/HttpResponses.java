package io.herald.server.internal;

import io.herald.ErrorCode;
import io.herald.HeraldException;
import io.herald.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes JSON answers of the HTTP API; errors as {@code {"error":{"code","message"}}} (SPEC §5.3). */
final class HttpResponses {
    private HttpResponses() {
    }

    static void json(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, Object body) {
        send(ctx, keepAlive, response(status, body, EmptyHttpHeaders.INSTANCE));
    }

    private static FullHttpResponse response(HttpResponseStatus status, Object body, HttpHeaders extraHeaders) {
        byte[] bytes = Json.toString(body).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        res.headers().set(extraHeaders);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return res;
    }

    static void text(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String contentType,
            String body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        send(ctx, keepAlive, res);
    }

    /**
     * Answers {@code e}: its code's HTTP status ({@link ErrorCode#httpStatus()}) and the JSON error
     * body; a 405 names the methods its path takes in {@code Allow}.
     */
    static void error(ChannelHandlerContext ctx, boolean keepAlive, HeraldException e) {
        HttpHeaders headers = e instanceof MethodNotAllowedException m
                ? new DefaultHttpHeaders().set(HttpHeaderNames.ALLOW, m.allowHeader())
                : EmptyHttpHeaders.INSTANCE;
        send(ctx, keepAlive, errorResponse(e, HttpResponseStatus.valueOf(e.code().httpStatus()), headers));
    }

    /**
     * Answers {@code e} with a more specific status that HTTP defines within its code's class, and
     * headers of its own: 414 or 431 for {@code too_large} (413), 417 or 426 (with
     * {@code Sec-WebSocket-Version}) for {@code bad_request} (400). The code, and so the body and the
     * metrics, stay those of {@link ErrorCode}.
     *
     * @throws IllegalArgumentException when {@code status} is not of the class of the code's status
     */
    static void error(ChannelHandlerContext ctx, boolean keepAlive, HeraldException e, HttpResponseStatus status,
            HttpHeaders extraHeaders) {
        send(ctx, keepAlive, errorResponse(e, status, extraHeaders));
    }

    /**
     * The answer to {@code e} as a response not yet sent, for Netty handlers that write their own
     * (the aggregator's 413 and 417): {@code keepAlive} is set, and so is the content length.
     */
    static FullHttpResponse errorResponse(HeraldException e, HttpResponseStatus status, boolean keepAlive) {
        FullHttpResponse res = errorResponse(e, status, EmptyHttpHeaders.INSTANCE);
        finish(res, keepAlive);
        return res;
    }

    private static FullHttpResponse errorResponse(HeraldException e, HttpResponseStatus status, HttpHeaders extraHeaders) {
        if (status.code() / 100 != e.code().httpStatus() / 100) {
            throw new IllegalArgumentException(status + " does not refine " + e.code().httpStatus() + " " + e.code().wire());
        }
        return response(status, body(e.code(), e.getMessage()), extraHeaders);
    }

    /** The body of an error answer: {@code {"error":{"code","message"}}}. */
    static Map<String, Object> body(ErrorCode code, String message) {
        return Map.of("error", Map.of("code", code.wire(), "message", message));
    }

    /** Sets what every answer carries; one that may be cached (ClientBundle, OpenApiDocument) sets its own Cache-Control. */
    private static void finish(FullHttpResponse res, boolean keepAlive) {
        if (!res.headers().contains(HttpHeaderNames.CACHE_CONTROL)) {
            res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        }
        HttpUtil.setContentLength(res, res.content().readableBytes());
        HttpUtil.setKeepAlive(res, keepAlive);
    }

    /** Sends {@code res} with its length, keep-alive and (unless it has its own) {@code Cache-Control: no-store}. */
    static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse res) {
        finish(res, keepAlive);
        String origin = ctx.channel().attr(Cors.ORIGIN).get();
        if (origin != null) {
            res.headers().setAll(Cors.headers(origin)); // set(HttpHeaders) would replace every header, the length too
        }
        if (keepAlive) {
            ctx.writeAndFlush(res, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
