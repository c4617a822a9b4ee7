package io.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One subscriber of the overload benchmark. A {@link Kind#FAST} one reads as fast as its event
 * loop can; a {@link Kind#SLOW} one has auto-read off and asks for one read every
 * {@code readIntervalMillis} (of up to the receive buffer its pool gives it), so it stays alive,
 * answers every {@code ping} it reads, and falls behind. Its {@link ReadGate} holds back the reads
 * that Netty's decoders ask for on their own when a read ended mid-frame, which would otherwise
 * read a whole frame each time, however large. Either keeps an {@link OffsetLedger} of
 * the channel and how the connection ended: the server's close code, or
 * {@link #ABNORMAL_CLOSE} when the connection ended without a close frame. Confined to its event
 * loop; {@link #result} is read there too.
 */
final class OverloadClient extends SimpleChannelInboundHandler<WebSocketFrame> {
    /** RFC 6455's code for a connection that ended without a close frame (never sent on the wire). */
    static final int ABNORMAL_CLOSE = 1006;

    enum Kind {
        FAST, SLOW
    }

    /** What one client saw; {@code closeCode} -1 while open, {@code closedAtMillis} since the run's start. */
    record Result(int index, Kind kind, boolean subscribed, int closeCode, boolean closedByClient, long closedAtMillis,
                  long frames, long pingsAnswered, long start, long last, long received, long outOfOrder, long lagFrames,
                  long skipped, long gaps, long gapOffsets, long silentLost, long silentGaps, long firstSilentAfter,
                  long overReported) {
    }

    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[64 * 1024];
        }
    };

    private final OverloadPool pool;
    private final int index;
    private final Kind kind;
    private final long readIntervalMillis;
    private final ReadGate gate = new ReadGate();
    private final OffsetLedger ledger = new OffsetLedger();
    private final OffsetScanner.Sink sink = ledger::message;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> reader;
    private boolean open;
    private boolean settled;
    private boolean subscribed;
    private int closeCode = -1;
    private boolean closingByClient;
    private long closedAtMillis = -1;
    private long frames;
    private long pingsAnswered;

    OverloadClient(OverloadPool pool, int index, Kind kind, long readIntervalMillis) {
        this.pool = pool;
        this.index = index;
        this.kind = kind;
        this.readIntervalMillis = readIntervalMillis;
        this.gate.open = kind == Kind.FAST;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (kind == Kind.SLOW) {
            reader = ctx.executor().scheduleAtFixedRate(() -> gate.readOnce(ctx), 0, readIntervalMillis,
                    TimeUnit.MILLISECONDS);
        }
        super.channelActive(ctx);
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
            if (closeCode < 0 && !closingByClient) { // not the echo of our own close
                closeCode = close.statusCode();
                closedAtMillis = pool.millisSinceStart();
            }
            ctx.close();
            return;
        }
        if (!(frame instanceof TextWebSocketFrame)) {
            return; // protocol pings are answered by the protocol handler
        }
        frames++;
        ByteBuf content = frame.content();
        int length = content.readableBytes();
        byte[] b = SCRATCH.get();
        if (b.length < length) {
            b = new byte[Math.max(length, b.length * 2)];
            SCRATCH.set(b);
        }
        content.getBytes(content.readerIndex(), b, 0, length);
        switch (OffsetScanner.type(b, length)) {
            case MESSAGES -> OffsetScanner.offsets(b, length, sink);
            case LAG -> ledger.lag(Math.max(0, OffsetScanner.skipped(b, length)));
            case PING -> {
                pingsAnswered++;
                ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"pong\"}"));
            }
            case SUBSCRIBED -> {
                ledger.subscribed(Math.max(0, OffsetScanner.firstOffset(b, length)));
                if (!subscribed) {
                    subscribed = true;
                    pool.subscribed();
                }
            }
            case OTHER -> {
                // welcome
            }
        }
    }

    /** Ends the connection from this side with 1000; a close the server already sent stays the result. */
    void closeNormally() {
        if (!ctx.channel().isActive() || closeCode >= 0) {
            return;
        }
        closingByClient = true;
        if (reader != null) { // a slow client reads the rest at full speed, to see the server's answer
            reader.cancel(false);
        }
        gate.open = true;
        ctx.channel().config().setAutoRead(true);
        ctx.writeAndFlush(new CloseWebSocketFrame(1000, "done"));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        settle("closed before the handshake completed");
        if (reader != null) {
            reader.cancel(false);
        }
        if (open && closeCode < 0 && !closingByClient) {
            closeCode = ABNORMAL_CLOSE;
            closedAtMillis = pool.millisSinceStart();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        settle(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        ctx.close();
    }

    private void settle(String failure) {
        if (settled) {
            return;
        }
        settled = true;
        if (failure == null) {
            pool.opened();
        } else {
            pool.failed(failure);
        }
    }

    /** The handler to put first in the pipeline, where every read request passes. */
    ReadGate gate() {
        return gate;
    }

    /**
     * Lets a read request through only when {@link #readOnce} makes it, or once the gate is open.
     * Confined to the connection's event loop.
     */
    static final class ReadGate extends ChannelOutboundHandlerAdapter {
        private boolean open;
        private boolean allowed;

        /** Makes one read of the channel, through this gate. */
        void readOnce(ChannelHandlerContext tail) {
            allowed = true;
            tail.read();
        }

        @Override
        public void read(ChannelHandlerContext ctx) {
            if (open || allowed) {
                allowed = false;
                ctx.read();
            }
        }
    }

    boolean isSubscribed() {
        return subscribed;
    }

    /** Whether the client has received everything up to {@code offset} (or a close): nothing more to wait for. */
    boolean caughtUp(long offset) {
        return closeCode >= 0 || closingByClient || ledger.last() >= offset;
    }

    Result result() {
        return new Result(index, kind, subscribed, closeCode, closingByClient && closeCode < 0, closedAtMillis, frames,
                pingsAnswered, ledger.start(), ledger.last(), ledger.received(), ledger.outOfOrder(), ledger.lagFrames(),
                ledger.skippedReported(), ledger.gaps(), ledger.gapOffsets(), ledger.silentLost(), ledger.silentGaps(),
                ledger.firstSilentAfter(), ledger.overReported());
    }
}
