package io.herald.bench.peers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /api/publish} and {@code GET /health}; passes every other request (the WebSocket
 * upgrade) down the pipeline. The message frame is {@code {"type":"message","channel","event",
 * "offset","ts","data"}}, as Herald's, with one offset counter for the whole server.
 */
final class PeerHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();
    private static final AtomicLong OFFSETS = new AtomicLong();

    private final PeerChannels channels;

    PeerHttpHandler(PeerChannels channels) {
        super(false); // requests passed on are released further down
        this.channels = channels;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws IOException {
        String path = req.uri();
        if (req.method() == HttpMethod.POST && path.equals("/api/publish")) {
            try {
                JsonNode body = JSON.readTree((java.io.InputStream) new ByteBufInputStream(req.content()));
                String channel = body.path("channel").asText();
                int loops = channels.broadcast(channel, encode(ctx, channel, body));
                respond(ctx, req, HttpResponseStatus.OK, "{\"eventLoops\":" + loops + "}");
            } catch (IOException | RuntimeException e) {
                respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "{\"error\":{\"code\":\"bad_request\"}}");
            } finally {
                req.release();
            }
        } else if (req.method() == HttpMethod.GET && path.equals("/health")) {
            respond(ctx, req, HttpResponseStatus.OK, "{\"status\":\"up\"}");
            req.release();
        } else {
            ctx.fireChannelRead(req);
        }
    }

    /** The frame text, encoded once into a direct buffer that every subscriber's write shares. */
    private static ByteBuf encode(ChannelHandlerContext ctx, String channel, JsonNode body) throws IOException {
        ByteBuf buf = ctx.alloc().directBuffer(256);
        try (OutputStream out = new ByteBufOutputStream(buf); JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "message");
            g.writeStringField("channel", channel);
            g.writeStringField("event", body.path("event").asText());
            g.writeNumberField("offset", OFFSETS.incrementAndGet());
            g.writeNumberField("ts", System.currentTimeMillis());
            g.writeFieldName("data");
            JSON.writeTree(g, body.path("data"));
            g.writeEndObject();
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
        return buf;
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(req.protocolVersion(), status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r);
        } else {
            ctx.writeAndFlush(r).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        }
    }
}
