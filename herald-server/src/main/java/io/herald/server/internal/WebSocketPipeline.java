package io.herald.server.internal;

import io.herald.server.ServerConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilter;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionFilterProvider;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;

/**
 * Herald's WebSocket frame pipeline, in one place so that the server and the conformance test
 * (Autobahn echo server) run exactly the same handlers with the same limits.
 */
public final class WebSocketPipeline {
    private static final int COMPRESSION_LEVEL = 6;
    private static final int WINDOW_BITS = 15;

    private WebSocketPipeline() {
    }

    /** Whether the upgrade request offers permessage-deflate, so reserved bits may be negotiated. */
    public static boolean deflateOffered(io.netty.handler.codec.http.HttpRequest req) {
        return req.headers().get(io.netty.handler.codec.http.HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, "")
                .toLowerCase(java.util.Locale.ROOT).contains("permessage-deflate");
    }

    /**
     * Frame decoding limits: frames over {@code maxMessageSize} close with 1009, violations with
     * 1002. Reserved bits are let through the decoder only when permessage-deflate may be
     * negotiated ({@code deflateOffered}); {@link FrameGuard} then fails any the deflate decoder
     * did not consume.
     */
    public static WebSocketDecoderConfig decoderConfig(ServerConfig config, boolean deflateOffered) {
        return WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(config.maxMessageSize())
                .allowExtensions(deflateOffered && config.compression())
                .closeOnProtocolViolation(true)
                .withUTF8Validator(false) // added by install(), after the deflate decoder
                .build();
    }

    /**
     * The permessage-deflate negotiation handler (before the upgrade), or null when compression is
     * off. It skips frames under {@code compression.threshold} bytes and bounds inflation to
     * {@code maxMessageSize}, so a deflate bomb closes with 1009 without allocating its inflated size.
     */
    public static ChannelHandler deflate(ServerConfig config) {
        if (!config.compression()) {
            return null;
        }
        int threshold = config.compressionThreshold();
        WebSocketExtensionFilter skipSmall = frame -> ((WebSocketFrame) frame).content().readableBytes() < threshold;
        WebSocketExtensionFilterProvider filters = new WebSocketExtensionFilterProvider() {
            @Override
            public WebSocketExtensionFilter encoderFilter() {
                return skipSmall;
            }

            @Override
            public WebSocketExtensionFilter decoderFilter() {
                return WebSocketExtensionFilter.NEVER_SKIP;
            }
        };
        // allowServerWindowSize false: an offer with server_max_window_bits is declined (RFC 7692 §7.1.2.1),
        // since the JDK's Deflater has only a 15-bit window and Netty would need jzlib for a smaller one
        return new WebSocketServerExtensionHandler(new PerMessageDeflateServerExtensionHandshaker(COMPRESSION_LEVEL, false,
                WINDOW_BITS, false, false, filters, config.maxMessageSize()));
    }

    /**
     * Adds, after the handler named {@code after}, the handlers that follow the frame codec: UTF-8
     * validation (1007; it sees decompressed text because the handshake puts any deflate decoder
     * ahead of it), at most {@code maxFragments} frames per message and aggregation up to
     * {@code maxMessageSize} (both 1009), then {@code last}.
     */
    public static void install(ChannelPipeline p, String after, ServerConfig config, ChannelHandler last) {
        p.addAfter(after, "ws-guard", new FrameGuard(config.maxFragments()));
        p.addAfter("ws-guard", "ws-utf8", new Utf8FrameValidator(true));
        p.addAfter("ws-utf8", "ws-aggregator", new WebSocketFrameAggregator(config.maxMessageSize()));
        p.addAfter("ws-aggregator", "ws-session", last);
    }

    /** Removes what {@link #install} added, for an upgrade that failed before it began. */
    public static void uninstall(ChannelPipeline p) {
        for (String name : new String[] {"ws-guard", "ws-utf8", "ws-aggregator", "ws-session"}) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }
}
