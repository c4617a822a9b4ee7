package io.herald.server.fuzz;

import io.herald.ChannelInfo;
import io.herald.Herald;
import io.herald.server.ServerConfig;
import io.herald.server.internal.ConnectionInfo;
import io.herald.server.internal.ConnectionState;
import io.herald.server.internal.FuzzHarness;
import io.herald.server.internal.ServerContext;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One client connection to a Herald server of its own, with no socket: client bytes in, checked
 * server frames out ({@link ServerAnswers}). Each connection has its own Herald, server context and
 * clock, so an input replays the same way whatever ran before it. A failure carries the exceptions
 * the session logged. Not thread-safe.
 */
final class FuzzConnection implements AutoCloseable {
    /**
     * Small limits, so short inputs reach them: 1 KiB messages (1009), 8 fragments (1009), 16
     * frames a second (rate_limited, then 1008 after 16 more).
     */
    static final ServerConfig CONFIG = ServerConfig.newBuilder()
            .auth(Tokens.AUTH)
            .maxMessageSize(1024)
            .maxFragments(8)
            .inboundRate(16)
            .compression(false)
            .build();

    private final FuzzClock clock = new FuzzClock();
    private final Herald herald = Herald.builder().clock(clock).sweepInterval(Duration.ZERO).start();
    private final ServerContext server = new ServerContext(herald, CONFIG, null);
    private final ServerAnswers answers = new ServerAnswers();
    private final SessionLog log = SessionLog.capture();
    private final EmbeddedChannel channel;
    /** The server's frame decoder, kept to ask it about the closing handshake once the channel is gone. */
    private final WebSocket08FrameDecoder decoder;
    private final ConnectionInfo info;

    /**
     * Opens a connection as {@code /ws/{initialChannel}?token={token}} would, both optional (null).
     * The server may have closed it already (a bad token).
     */
    FuzzConnection(String initialChannel, String token) {
        FuzzHarness.Opened opened = FuzzHarness.open(server, "fuzz-1", initialChannel, token);
        channel = opened.channel();
        decoder = opened.decoder();
        info = opened.info();
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /** What the server answered so far; complete once an action returned. */
    ServerAnswers answers() {
        settle();
        return answers;
    }

    ConnectionInfo info() {
        return info;
    }

    /**
     * Sends {@code bytes} in two writes cut at {@code cut}, as TCP may deliver them, or in one when
     * {@code cut} is outside them; stops when the server has closed the connection.
     */
    void send(byte[] bytes, int cut) {
        if (cut > 0 && cut < bytes.length) {
            write(Arrays.copyOfRange(bytes, 0, cut));
            write(Arrays.copyOfRange(bytes, cut, bytes.length));
        } else {
            write(bytes);
        }
    }

    /**
     * Sends {@code bytes} as {@link #send} does; they begin with a frame the server must refuse.
     * If the connection was open, between two frames, and neither side had begun to close, the
     * server must have closed it with {@code closeCode}.
     */
    void sendRefused(byte[] bytes, int cut, int closeCode) {
        boolean applies = channel.isOpen() && !answers().closed() && !clientStartedClosing() && betweenFrames();
        send(bytes, cut);
        if (applies && (channel.isOpen() || answers.closeCode() != closeCode)) {
            throw log.attachTo(new AssertionError("the server should have refused the frame with " + closeCode + " but "
                    + (channel.isOpen() ? "left the connection open" : "closed with " + answers.closeCode())
                    + "; answers " + answers.texts()));
        }
    }

    /**
     * A client that stops reading: the server's socket is not writable (Netty's user-defined
     * writability, as a full socket buffer would do) until it reads again.
     */
    void reading(boolean reading) {
        if (channel.isOpen() && channel.unsafe().outboundBuffer() != null) {
            channel.unsafe().outboundBuffer().setUserDefinedWritability(1, reading);
        }
        settle();
    }

    /**
     * Lets {@code d} pass, from one scheduled task (heartbeat, timer, deadline) to the next, so each
     * runs at its time on both the channel's clock and Herald's; then the engine sweeps.
     */
    void advance(Duration d) {
        long left = d.toNanos();
        for (long next = channel.runScheduledPendingTasks(); next >= 0 && next <= left && channel.isOpen();
                next = channel.runScheduledPendingTasks()) {
            step(next);
            left -= next;
        }
        step(left);
        herald.sweep();
        settle();
    }

    /**
     * Ends the connection, as a client that goes away does if the server has not closed it first,
     * and checks that a closed connection had a close frame and leaves nothing behind.
     */
    @Override
    public void close() {
        try {
            settle();
            boolean closedByServer = !channel.isOpen();
            if (closedByServer && !answers.closed() && !clientStartedClosing()) {
                throw new AssertionError("the server closed the connection without a close frame");
            }
            if (!closedByServer && answers.closed()) {
                throw new AssertionError("the server sent close " + answers.closeCode() + " but left the connection open");
            }
            channel.close();
            settle();
            checkNothingRemains();
        } catch (AssertionError e) {
            throw log.attachTo(e);
        } finally {
            channel.finishAndReleaseAll();
            answers.release();
            herald.close();
            log.close();
        }
    }

    private void checkNothingRemains() {
        if (info.state() != ConnectionState.DISCONNECTED) {
            throw new AssertionError("the connection ended in state " + info.state() + ": " + info.lastError());
        }
        if (!channel.inboundMessages().isEmpty()) {
            throw new AssertionError("frames went past the session: " + channel.inboundMessages());
        }
        if (server.connections().active() != 0) {
            throw new AssertionError("a closed connection is still registered: " + server.connections().snapshot());
        }
        for (ChannelInfo c : herald.channels()) {
            if (c.subscribers() != 0) {
                throw new AssertionError("a closed connection is still subscribed: " + c);
            }
        }
    }

    /**
     * Whether the decoder read a close frame from the client. A close frame that breaks the rules
     * (a bad code, a reason that is not UTF-8) then fails the connection without a close frame of
     * the server's: RFC 6455 §7.1.7 allows it, and Netty does so once the client has begun the
     * closing handshake. Netty does not expose the flag, so it is read by reflection.
     */
    private boolean clientStartedClosing() {
        try {
            Field f = WebSocket08FrameDecoder.class.getDeclaredField("receivedClosingHandshake");
            f.setAccessible(true);
            return f.getBoolean(decoder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Netty version's frame decoder has no receivedClosingHandshake", e);
        }
    }

    /** Whether the server's frame decoder waits for the first byte of a frame (not inside one), by reflection. */
    private boolean betweenFrames() {
        try {
            Field f = WebSocket08FrameDecoder.class.getDeclaredField("state");
            f.setAccessible(true);
            return ((Enum<?>) f.get(decoder)).name().equals("READING_FIRST");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this Netty version's frame decoder has no state", e);
        }
    }

    private void step(long nanos) {
        clock.advance(Duration.ofNanos(nanos));
        channel.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
        settle();
    }

    private void write(byte[] bytes) {
        if (channel.isOpen()) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
            settle();
        }
    }

    /** Runs what the writes queued (deliveries, publish answers) and checks what went out. */
    private void settle() {
        channel.runPendingTasks();
        channel.checkException();
        try {
            answers.drain(channel);
        } catch (AssertionError e) {
            throw log.attachTo(e);
        }
    }
}
