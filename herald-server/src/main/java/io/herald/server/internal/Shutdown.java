package io.herald.server.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of a graceful shutdown (SPEC §11), bounded by the drain timeout. */
public final class Shutdown implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

    private final ServerContext server;
    private final Channel serverChannel;
    private final ChannelGroup allChannels;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;

    public Shutdown(ServerContext server, Channel serverChannel, ChannelGroup allChannels, EventLoopGroup bossGroup,
            EventLoopGroup workerGroup) {
        this.server = server;
        this.serverChannel = serverChannel;
        this.allChannels = allChannels;
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        long deadline = start + server.config().drainTimeout().toNanos();
        server.startDraining();
        serverChannel.close().awaitUninterruptibly(remainingMillis(deadline));
        int sessions = server.connections().active();
        log.info("shutting down: telling {} connections to reconnect, draining for at most {} ms", sessions,
                server.config().drainTimeout().toMillis());
        // Nothing acknowledged stays behind (SPEC §11): pending batches and throttled keys go out
        // first, then each connection sends its backlog, its shutdown frame and its close.
        flushPending(deadline);
        for (Connection s : server.connections().sessions()) {
            s.executor().execute(s::shutdown);
        }
        // Plain HTTP connections (publishers) get no frame; they are closed once the clients are told.
        int unfinished = awaitSessionsClosed(deadline);
        allChannels.close().awaitUninterruptibly(Math.max(1, remainingMillis(deadline)));
        workerGroup.shutdownGracefully(0, Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(Math.max(1, remainingMillis(deadline)));
        bossGroup.shutdownGracefully(0, 1, TimeUnit.MILLISECONDS).awaitUninterruptibly(Math.max(1, remainingMillis(deadline)));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (unfinished == 0) {
            log.info("shutdown complete in {} ms", tookMillis);
        } else {
            log.info("shutdown cut short by the drain timeout after {} ms: {} connections had not closed and were cut",
                    tookMillis, unfinished);
        }
    }

    private void flushPending(long deadline) {
        try {
            server.herald().flush().get(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("pending messages not flushed within the drain timeout; closing connections anyway");
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("flushing pending messages failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until every client connection has closed, or the deadline; returns how many had not.
     * It asks each channel rather than the registry, which forgets a connection only after its
     * channel has closed, so a connection that closed in time is never counted as cut.
     */
    private int awaitSessionsClosed(long deadline) {
        List<Connection> sessions = List.copyOf(server.connections().sessions());
        int unfinished = 0;
        for (Connection s : sessions) {
            long left = remainingMillis(deadline);
            if (left > 0) {
                s.closeFuture().awaitUninterruptibly(left);
            }
            if (!s.closeFuture().isDone()) {
                unfinished++;
            }
        }
        return unfinished;
    }

    private static long remainingMillis(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }
}
