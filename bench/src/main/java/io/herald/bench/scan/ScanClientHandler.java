package io.herald.bench.scan;

import io.herald.workloads.ScanWorkload;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;

/**
 * Reads Herald's server frames (SPEC §5.1) for one client: unpacks {@code message} and
 * {@code batch} frames into offsets, counts {@code lag}, answers {@code ping}. All state lives on
 * the connection's event loop; other threads see it through {@link #tally} run on that loop.
 */
final class ScanClientHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final boolean deflateOffered;
    private final WireByteCounter wire;
    private final BitSet received = new BitSet();
    private boolean deflateNegotiated;
    private long frames;
    private long lastOffset;
    private long orderErrors;
    private long lagFrames;
    private long lagSkipped;
    private long otherFrames;
    private String lastOther = "";
    private int closeCode = -1;

    ScanClientHandler(boolean deflateOffered, WireByteCounter wire) {
        this.deflateOffered = deflateOffered;
        this.wire = wire;
    }

    /** Completes on {@code subscribed}; fails if the connection closes first. */
    CompletableFuture<Void> subscribed() {
        return subscribed;
    }

    /** Completes when the job's final message arrives; fails if the connection closes first. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    void deflateNegotiated(boolean negotiated) {
        deflateNegotiated = negotiated;
    }

    /** A copy of the counts; call on the event loop. */
    ClientTally tally() {
        return new ClientTally(deflateOffered, deflateNegotiated, wire.bytes(), frames, (BitSet) received.clone(),
                orderErrors, lagFrames, lagSkipped, otherFrames, lastOther, finished.isDone() && !finished.isCompletedExceptionally(),
                closeCode);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) throws IOException {
        if (frame instanceof CloseWebSocketFrame close) {
            closeCode = close.statusCode();
            ctx.close();
            return;
        }
        if (!(frame instanceof TextWebSocketFrame)) {
            return; // protocol ping/pong frames are answered by the protocol handler
        }
        FrameReader.Frame f = FrameReader.read(frame.content());
        switch (f.type()) {
            case "message", "batch" -> {
                frames++;
                f.messages().forEach(this::onMessage);
            }
            case "lag" -> {
                lagFrames++;
                lagSkipped += f.skipped();
            }
            case "ping" -> ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"pong\"}"));
            case "subscribed" -> subscribed.complete(null);
            case "welcome" -> {
                // nothing to do: the subscription comes with the URL
            }
            default -> {
                otherFrames++;
                String text = frame.content().toString(StandardCharsets.UTF_8);
                lastOther = text.length() > 160 ? text.substring(0, 160) + "…" : text;
            }
        }
    }

    private void onMessage(FrameReader.Delivered m) {
        long offset = m.offset();
        if (offset <= lastOffset || offset > Integer.MAX_VALUE) {
            orderErrors++;
        }
        lastOffset = Math.max(lastOffset, offset);
        if (offset > 0 && offset <= Integer.MAX_VALUE) {
            received.set((int) offset);
        }
        if (ScanWorkload.FINAL_EVENT.equals(m.event())) {
            finished.complete(null);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        IllegalStateException closed = new IllegalStateException("connection closed (code " + closeCode + ")");
        subscribed.completeExceptionally(closed);
        finished.completeExceptionally(closed);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        otherFrames++;
        lastOther = "exception: " + cause;
        ctx.close();
    }
}
