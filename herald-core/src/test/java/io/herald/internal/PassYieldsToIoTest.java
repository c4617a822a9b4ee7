package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.Herald;
import io.herald.MessageFrame;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pass over many members on a real I/O event loop lets the loop read its sockets between slices:
 * a publish, a client's frame or a pong that arrives while a channel fans out to 10,000
 * connections is read within a slice, not after the whole pass (Netty runs a task that a task
 * executes in the same round, for up to a second, before it polls sockets again).
 */
class PassYieldsToIoTest {
    private MultiThreadIoEventLoopGroup group;
    private Herald herald;

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        herald = Herald.builder().start();
    }

    @AfterEach
    void stop() throws Exception {
        herald.close();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).sync();
    }

    @Test
    void aByteArrivingDuringAPassIsReadBeforeThePassEnds() throws Exception {
        EventLoop loop = group.next();
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger writesWhenRead = new AtomicInteger(-1);
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                writesWhenRead.compareAndSet(-1, writes.get());
                            }
                        });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try (Socket client = new Socket()) {
            client.connect(server.localAddress());
            await().until(() -> server.isActive());
            OutputStream toServer = client.getOutputStream();
            int n = 4 * ChannelFeed.SLICE;
            List<RecordingOutlet> outlets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean first = i == 0;
                RecordingOutlet out = new RecordingOutlet("c" + i, loop) {
                    @Override
                    public void send(MessageFrame frame) {
                        if (first) {
                            try {
                                toServer.write(1); // arrives while the pass is under way
                                toServer.flush();
                                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                                while (System.nanoTime() < until) {
                                    Thread.onSpinWait(); // the byte reaches the server's socket buffer meanwhile
                                }
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                        writes.incrementAndGet();
                        super.send(frame);
                    }
                };
                outlets.add(out);
                loop.submit(() -> herald.openSession(out).subscribe("wide:1", Optional.empty())).get(10, TimeUnit.SECONDS);
            }
            herald.publish("wide:1", "e", 1).join();
            await().atMost(Duration.ofSeconds(20)).until(() -> outlets.stream().allMatch(o -> o.messages().size() == 1));
            assertThat(writesWhenRead.get()).as("writes done when the socket was read").isBetween(1, 2 * ChannelFeed.SLICE);
        } finally {
            server.close().sync();
        }
    }
}
