package io.herald.bench.scan;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP/1.1 keep-alive connection that POSTs a body and waits for the answer, one request at a
 * time. Netty rather than {@code java.net.http}: the JDK client costs a few milliseconds per
 * request on a busy two-core machine, which alone would put a 200 requests/s replay behind.
 *
 * <p>Not thread-safe: one caller, one request in flight.
 */
final class PublishConnection implements AutoCloseable {
    private static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    private final Channel channel;
    private final AnswerHandler answers;
    private final String host;

    /** A response: status code and body. */
    record Answer(int status, String body) {
    }

    private PublishConnection(Channel channel, AnswerHandler answers, String host) {
        this.channel = channel;
        this.answers = answers;
        this.host = host;
    }

    /** Opens the connection. */
    static PublishConnection open(EventLoopGroup group, String host, int port) throws IOException, InterruptedException {
        AnswerHandler answers = new AnswerHandler();
        ChannelFuture f = new Bootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES), answers);
                    }
                })
                .connect(host, port);
        if (!f.await(10, TimeUnit.SECONDS) || !f.isSuccess()) {
            f.channel().close();
            throw new IOException("cannot connect to " + host + ":" + port, f.cause());
        }
        return new PublishConnection(f.channel(), answers, host);
    }

    /** POSTs {@code body} (JSON) to {@code path} and waits up to 10 s for the answer. */
    Answer post(String path, byte[] body) throws IOException, InterruptedException {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, Unpooled.wrappedBuffer(body));
        req.headers().set(HttpHeaderNames.HOST, host)
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        String apiKey = System.getenv("HERALD_BENCH_API_KEY");
        if (apiKey != null && !apiKey.isEmpty()) {
            req.headers().set("X-Api-Key", apiKey);
        }
        CompletableFuture<Answer> answer = answers.expect();
        channel.writeAndFlush(req);
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("POST " + path + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("POST " + path + ": no answer within 10 s", e);
        }
    }

    /** Hands each response to the request waiting for it (there is at most one). */
    private static final class AnswerHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        /** The request in flight; written by the caller before the request goes out, completed on the event loop. */
        private volatile CompletableFuture<Answer> pending = new CompletableFuture<>();

        CompletableFuture<Answer> expect() {
            pending = new CompletableFuture<>();
            return pending;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
            pending.complete(new Answer(r.status().code(), r.content().toString(StandardCharsets.UTF_8)));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            pending.completeExceptionally(new IOException("the server closed the connection"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            pending.completeExceptionally(cause);
            ctx.close();
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
