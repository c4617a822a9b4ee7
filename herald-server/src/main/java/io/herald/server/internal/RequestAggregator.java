package io.herald.server.internal;

import io.herald.HeraldException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's {@link HttpObjectAggregator} bounded by {@code limits.maxRequestSize}, whose own answers
 * are the API's JSON errors (SPEC §5.3): Netty answers a body over the bound, and an
 * {@code Expect} it cannot meet, itself, with an empty body. Per connection, not shareable.
 *
 * <p>When the connection stays open follows Netty: a keep-alive request whose body has not arrived
 * yet is answered and the rest of its body is discarded, because closing while the client is still
 * sending would reset the connection and could lose the answer; otherwise the answer closes it.
 */
final class RequestAggregator extends HttpObjectAggregator {
    private final ServerContext server;
    private final int maxRequestSize;

    RequestAggregator(ServerContext server) {
        super(server.config().maxRequestSize());
        this.server = server;
        this.maxRequestSize = server.config().maxRequestSize();
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        HeraldException e = tooLarge();
        server.badInput(ServerContext.remoteIp(ctx.channel()), e);
        boolean keepAlive = !(oversized instanceof FullHttpMessage)
                && (HttpUtil.is100ContinueExpected(oversized) || HttpUtil.isKeepAlive(oversized));
        FullHttpResponse res = HttpResponses.errorResponse(e, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, keepAlive);
        ctx.writeAndFlush(res).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
    }

    /** Netty's answer to {@code Expect: 100-continue}: a 413 or 417 becomes a JSON error. */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
        if (!(answer instanceof FullHttpResponse netty) || netty.status().codeClass() != HttpStatusClass.CLIENT_ERROR) {
            return answer; // 100 Continue, or nothing to say
        }
        HttpResponseStatus status = netty.status();
        ReferenceCountUtil.release(netty);
        HeraldException e = status.equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE) ? tooLarge()
                : HeraldException.badRequest("unsupported expectation: Expect: " + abbreviate(start));
        server.badInput(ServerContext.remoteIp(pipeline.channel()), e);
        return HttpResponses.errorResponse(e, status, true);
    }

    private HeraldException tooLarge() {
        return HeraldException.tooLarge("the request body is larger than " + maxRequestSize + " bytes (limits.maxRequestSize)");
    }

    private static String abbreviate(HttpMessage m) {
        String expect = m.headers().get(HttpHeaderNames.EXPECT, "");
        return expect.length() > 64 ? expect.substring(0, 64) + "…" : expect;
    }
}
