package io.herald.bench.scan;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import java.util.function.Consumer;

/**
 * Reads the server's handshake answer to learn whether permessage-deflate was accepted (a client
 * that offers it may still be refused), then leaves the pipeline.
 */
final class ExtensionSniffer extends ChannelInboundHandlerAdapter {
    private final Consumer<Boolean> deflateNegotiated;

    ExtensionSniffer(Consumer<Boolean> deflateNegotiated) {
        this.deflateNegotiated = deflateNegotiated;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse response) {
            String extensions = response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, "");
            deflateNegotiated.accept(extensions.contains("permessage-deflate"));
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }
}
