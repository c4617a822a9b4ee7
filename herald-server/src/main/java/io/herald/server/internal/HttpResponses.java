package io.herald.server.internal;

import io.herald.ErrorCode;
import io.herald.HeraldException;
import io.herald.internal.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
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
        json(ctx, keepAlive, status, body, EmptyHttpHeaders.INSTANCE);
    }

    private static void json(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, Object body,
            HttpHeaders extraHeaders) {
        byte[] bytes = Json.toString(body).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        res.headers().set(extraHeaders);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        send(ctx, keepAlive, res);
    }

    static void text(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String contentType,
            String body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        send(ctx, keepAlive, res);
    }

    static void error(ChannelHandlerContext ctx, boolean keepAlive, HeraldException e) {
        error(ctx, keepAlive, HttpResponseStatus.valueOf(e.code().httpStatus()), e.code(), e.getMessage());
    }

    static void error(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, ErrorCode code,
            String message) {
        error(ctx, keepAlive, status, code, message, EmptyHttpHeaders.INSTANCE);
    }

    /** An error answer with headers of its own, e.g. {@code Sec-WebSocket-Version} on a 426. */
    static void error(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, ErrorCode code,
            String message, HttpHeaders extraHeaders) {
        json(ctx, keepAlive, status, body(code, message), extraHeaders);
    }

    /** The body of an error answer: {@code {"error":{"code","message"}}}. */
    static Map<String, Object> body(ErrorCode code, String message) {
        return Map.of("error", Map.of("code", code.wire(), "message", message));
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse res) {
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(res, res.content().readableBytes());
        HttpUtil.setKeepAlive(res, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(res, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
