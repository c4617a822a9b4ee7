package io.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * One subscriber connection: reports the handshake to its {@link SubscriberPool}, answers
 * Herald's and Engine.IO's pings, and records every message's one-way latency and step. State
 * stays on the connection's event loop.
 */
final class SubscriberHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    /** A copy buffer per event loop thread: scanning a byte[] is several times faster than ByteBuf.getByte. */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[64 * 1024];
        }
    };

    private final SubscriberPool pool;
    private final StepRecorder recorder;
    private final int channelNumber;
    private boolean open;
    private boolean settled;
    private int lastStep = -1;
    private long frameNanos;
    private int frameStep;

    private final FrameScanner.Sink sink = this::onMessage;
    /** The current frame's messages, per event loop thread: recorded together once the frame is scanned. */
    private static final FastThreadLocal<StepRecorder.FrameBatch> BATCH = new FastThreadLocal<>() {
        @Override
        protected StepRecorder.FrameBatch initialValue() {
            return new StepRecorder.FrameBatch();
        }
    };
    private StepRecorder.FrameBatch batch;

    SubscriberHandler(SubscriberPool pool, StepRecorder recorder, int channelNumber) {
        this.pool = pool;
        this.recorder = recorder;
        this.channelNumber = channelNumber;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            open = true;
            settle(null);
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            settle("handshake timeout");
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof CloseWebSocketFrame close) {
            pool.serverClosed(close.statusCode());
            ctx.close();
            return;
        }
        if (!(frame instanceof TextWebSocketFrame)) {
            return; // protocol pings are answered by the protocol handler
        }
        ByteBuf content = frame.content();
        int length = content.readableBytes();
        byte[] b = SCRATCH.get();
        if (b.length < length) {
            b = new byte[Math.max(length, b.length * 2)];
            SCRATCH.set(b);
        }
        content.getBytes(content.readerIndex(), b, 0, length);
        frameNanos = System.nanoTime();
        frameStep = -1;
        batch = BATCH.get();
        batch.clear();
        switch (FrameScanner.scan(b, length, sink)) {
            case MESSAGES -> {
                recorder.deliveries(batch);
                recorder.frame(frameStep, length);
            }
            case PING -> ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"pong\"}"));
            case EIO_PING -> ctx.writeAndFlush(new TextWebSocketFrame("3"));
            case EIO_OPEN -> ctx.writeAndFlush(new TextWebSocketFrame("40"));
            case SUBSCRIBED -> pool.subscribed();
            case LAG -> recorder.lag(lastStep);
            case OTHER -> {
                // welcome, Socket.IO's namespace answer: nothing to do
            }
        }
    }

    private void onMessage(long publishedNanos, int step) {
        if (frameStep < 0) {
            frameStep = step; // a frame counts for the step of its first message
        }
        lastStep = step;
        batch.add(step, (frameNanos - publishedNanos) / 1000);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        settle("closed before the handshake completed");
        if (open) {
            pool.closedAfterOpen(channelNumber);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        settle(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        ctx.close();
    }

    /** Reports the outcome of the connection attempt once: opened (reason null) or failed. */
    void settle(String failure) {
        if (settled) {
            return;
        }
        settled = true;
        if (failure == null) {
            pool.opened(channelNumber);
        } else {
            pool.failed(failure);
        }
    }
}
