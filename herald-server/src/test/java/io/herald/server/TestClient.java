package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Json;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A scriptable WebSocket client for tests: it can send anything, including frames a browser
 * never would (invalid UTF-8, oversized, binary), and records every frame it receives. Reads take
 * a timeout; {@link #expectNothing} asserts that nothing else came.
 */
public final class TestClient implements AutoCloseable {
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2,
            new DefaultThreadFactory("test-client", true), NioIoHandler.newFactory());
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Channel channel;
    private final BlockingQueue<WebSocketFrame> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile String closeReason;
    private volatile boolean skipPings = true;
    private volatile boolean answerPings;
    /** Messages of a batch frame not yet handed out by {@link #nextMessage()}. */
    private final java.util.ArrayDeque<JsonNode> unpacked = new java.util.ArrayDeque<>();
    private int batchFrames;

    private TestClient(Channel channel) {
        this.channel = channel;
    }

    public static TestClient connect(int port, String path) {
        return connect(port, path, new DefaultHttpHeaders(), false);
    }

    public static TestClient connect(int port, String path, HttpHeaders headers, boolean deflate) {
        return connect(port, path, headers, deflate, 0);
    }

    /** With {@code receiveBuffer > 0}, a small fixed socket receive buffer: a paused client backs up fast. */
    public static TestClient connect(int port, String path, HttpHeaders headers, boolean deflate, int receiveBuffer) {
        return connect(null, port, path, headers, deflate, receiveBuffer);
    }

    /**
     * Connects from {@code localAddress} (any 127.x.y.z works on Linux), so that the server counts it
     * against another address than the other clients.
     */
    public static TestClient connectFrom(String localAddress, int port, String path) {
        return connect(localAddress, port, path, new DefaultHttpHeaders(), false, 0);
    }

    private static TestClient connect(String localAddress, int port, String path, HttpHeaders headers, boolean deflate,
            int receiveBuffer) {
        URI uri = URI.create("ws://127.0.0.1:" + port + path);
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13,
                null, true, headers, 16 * 1024 * 1024);
        CompletableFuture<TestClient> ready = new CompletableFuture<>();
        Bootstrap b = new Bootstrap().group(GROUP).channel(NioSocketChannel.class);
        if (receiveBuffer > 0) {
            b.option(io.netty.channel.ChannelOption.SO_RCVBUF, receiveBuffer);
        }
        b.handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20));
                if (deflate) {
                    ch.pipeline().addLast(new WebSocketClientCompressionHandler(16 * 1024 * 1024));
                }
                ch.pipeline().addLast(new Handler(handshaker, ready));
            }
        });
        Channel ch = (localAddress == null ? b.connect("127.0.0.1", port)
                : b.connect(new java.net.InetSocketAddress("127.0.0.1", port), new java.net.InetSocketAddress(localAddress, 0)))
                .syncUninterruptibly().channel();
        try {
            return ready.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            ch.close();
            throw new AssertionError("WebSocket handshake to " + uri + " failed", e);
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<Object> {
        private final WebSocketClientHandshaker handshaker;
        private final CompletableFuture<TestClient> ready;
        private TestClient client;

        Handler(WebSocketClientHandshaker handshaker, CompletableFuture<TestClient> ready) {
            this.handshaker = handshaker;
            this.ready = ready;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            handshaker.handshake(ctx.channel());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (!handshaker.isHandshakeComplete()) {
                try {
                    handshaker.finishHandshake(ctx.channel(), (FullHttpResponse) msg);
                    client = new TestClient(ctx.channel());
                    ready.complete(client);
                } catch (RuntimeException e) {
                    ready.completeExceptionally(new IOException("handshake refused: " + ((FullHttpResponse) msg).status()
                            + " " + ((FullHttpResponse) msg).content().toString(StandardCharsets.UTF_8), e));
                }
                return;
            }
            if (msg instanceof CloseWebSocketFrame close) {
                client.closeReason = close.reasonText();
                client.closeCode.complete(close.statusCode());
                ctx.close();
            } else if (msg instanceof WebSocketFrame f) {
                if (client.answerPings && f instanceof TextWebSocketFrame t && t.text().equals("{\"type\":\"ping\"}")) {
                    ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"pong\"}"));
                }
                client.frames.add(f.retain());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (client != null) {
                client.closeCode.complete(-1); // no-op when a close frame came first
            }
            ready.completeExceptionally(new IOException("connection closed during handshake"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ready.completeExceptionally(cause);
            ctx.close();
        }
    }

    /** Whether to drop the server's {@code ping} frames while reading (default true). */
    public TestClient skipPings(boolean skip) {
        this.skipPings = skip;
        return this;
    }

    /** Whether to answer the server's {@code ping} frames with a {@code pong} as they are read (default false). */
    public TestClient answerPings(boolean answer) {
        this.answerPings = answer;
        return this;
    }

    /** While paused: reads one buffer's worth from the socket (a slow reader reads now and then). */
    public void readOnce() {
        channel.read();
    }

    /** Stops reading from the socket, as a stalled browser tab would: the server sees backpressure. */
    public void pauseReading() {
        channel.config().setAutoRead(false);
    }

    public void resumeReading() {
        channel.config().setAutoRead(true);
        channel.read();
    }

    public void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text)).syncUninterruptibly();
    }

    /** Writes {@code frame} without waiting for the write (a flood that does not wait for the socket). */
    public void sendFrameAsync(WebSocketFrame frame) {
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    public void sendFrame(WebSocketFrame frame) {
        channel.writeAndFlush(frame).syncUninterruptibly();
    }

    /** Sends raw bytes as a text frame, unchecked: lets tests send invalid UTF-8. */
    public void sendRawText(byte[] bytes) {
        sendFrame(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }

    public void sendPong() {
        sendFrame(new PongWebSocketFrame());
    }

    /** The next JSON frame, or fails after the timeout. */
    public JsonNode next() {
        return next(TIMEOUT);
    }

    public JsonNode next(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            WebSocketFrame f = poll(deadline - System.nanoTime());
            if (f == null) {
                fail("no frame within " + timeout + (closeCode.isDone() ? " (closed with " + closeCode.join() + ")" : ""));
            }
            JsonNode node = parse(f);
            if (node == null || (skipPings && "ping".equals(node.path("type").asText()))) {
                continue;
            }
            return node;
        }
    }

    /** The next raw frame of any kind (pong frames, for example), or fails after the timeout. */
    public WebSocketFrame nextFrame() {
        WebSocketFrame f = poll(TIMEOUT.toNanos());
        if (f == null) {
            fail("no frame within " + TIMEOUT);
        }
        return f;
    }

    /**
     * The next message, whether it came alone or in a {@code batch} frame (unpacked as a client
     * would: each element gets the batch's channel and {@code "type":"message"}).
     */
    public JsonNode nextMessage() {
        if (!unpacked.isEmpty()) {
            return unpacked.poll();
        }
        JsonNode n = next();
        if ("batch".equals(n.path("type").asText())) {
            batchFrames++;
            for (JsonNode m : n.get("messages")) {
                com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) m;
                o.put("type", "message");
                o.put("channel", n.path("channel").asText());
                unpacked.add(o);
            }
            return unpacked.poll();
        }
        assertThat(n.path("type").asText()).as("frame %s", n).isEqualTo("message");
        return n;
    }

    /** How many {@code batch} frames {@link #nextMessage()} has unpacked. */
    public int batchFrames() {
        return batchFrames;
    }

    /** Reads frames until one of {@code type} arrives; fails if another kind of frame comes first. */
    public JsonNode expect(String type) {
        if (type.equals("message")) {
            return nextMessage();
        }
        assertThat(unpacked).as("messages still unread before a %s frame", type).isEmpty();
        JsonNode n = next();
        assertThat(n.path("type").asText()).as("frame %s", n).isEqualTo(type);
        return n;
    }

    /** Reads frames, skipping those that do not match, until one matches. */
    public JsonNode awaitFrame(Predicate<JsonNode> match) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode n = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (match.test(n)) {
                return n;
            }
        }
        return fail("no matching frame within " + TIMEOUT);
    }

    /** Reads {@code n} {@code message} frames (failing on any other type). */
    public List<JsonNode> messages(int n) {
        List<JsonNode> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(expect("message"));
        }
        return out;
    }

    /** Asserts that no (non-ping) frame arrives within {@code quiet}. */
    public void expectNothing(Duration quiet) {
        assertThat(unpacked).as("unread messages").isEmpty();
        long deadline = System.nanoTime() + quiet.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            WebSocketFrame f = poll(left);
            if (f == null) {
                return;
            }
            JsonNode node = parse(f);
            if (node != null && !(skipPings && "ping".equals(node.path("type").asText()))) {
                fail("expected nothing, got " + node);
            }
        }
    }

    /** The next JSON frame (pings skipped), or null once the connection has closed and nothing is left. */
    public JsonNode awaitFrameOrClose() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            WebSocketFrame f = poll(20_000_000L);
            if (f == null) {
                if (closeCode.isDone() && frames.isEmpty()) {
                    return null;
                }
                continue;
            }
            JsonNode node = parse(f);
            if (node != null && !(skipPings && "ping".equals(node.path("type").asText()))) {
                return node;
            }
        }
        return fail("neither a frame nor a close within " + TIMEOUT);
    }

    /** The close code the server sent (-1 for a connection dropped without one), waiting up to the timeout. */
    public int awaitClose() {
        try {
            return closeCode.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection not closed within " + TIMEOUT, e);
        }
    }

    public String closeReason() {
        return closeReason;
    }

    public boolean isOpen() {
        return channel.isActive() && !closeCode.isDone();
    }

    /** Drops the TCP connection without a close frame, as a crashed client would. */
    public void abort() {
        channel.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "bye"));
            channel.close().awaitUninterruptibly(TIMEOUT.toMillis());
        }
        WebSocketFrame f;
        while ((f = frames.poll()) != null) {
            f.release();
        }
    }

    private WebSocketFrame poll(long nanos) {
        try {
            return frames.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode parse(WebSocketFrame f) {
        try {
            if (!(f instanceof TextWebSocketFrame)) {
                return null;
            }
            ByteBuf c = f.content();
            return Json.MAPPER.readTree(c.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("server sent invalid JSON", e);
        } finally {
            f.release();
        }
    }
}
