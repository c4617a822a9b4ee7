package io.herald.bench.scan;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Counts the TCP bytes a connection reads. It sits at the head of the pipeline, below the HTTP and
 * WebSocket decoders, so the count is what crossed the wire: frame headers and compressed payloads
 * included. One instance per connection; read {@link #bytes()} on the connection's event loop.
 */
final class WireByteCounter extends ChannelInboundHandlerAdapter {
    private long bytes;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            bytes += buf.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    /** Bytes read so far, on the connection's event loop. */
    long bytes() {
        return bytes;
    }
}
