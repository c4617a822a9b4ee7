package io.herald.server.internal;

import io.herald.ErrorCode;
import io.herald.HeraldException;
import io.herald.internal.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
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
        byte[] bytes = Json.toString(body).getBytes(StandardCharsets.UTF_8);
        write(ctx, keepAlive, status, Unpooled.wrappedBuffer(bytes));
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
        json(ctx, keepAlive, status, Map.of("error", Map.of("code", code.wire(), "message", message)));
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, ByteBuf body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        send(ctx, keepAlive, res);
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
