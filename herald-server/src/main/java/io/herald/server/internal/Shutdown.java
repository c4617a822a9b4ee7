package io.herald.server.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of a graceful shutdown (SPEC §11), bounded by the drain timeout, in two parts around
 * the engine's close: {@link #drain()} stops accepting and sends the clients away; {@link #stop()},
 * once the engine has closed (and so completed every publish under way), lets the answers to those
 * publishes go out, then closes what is left and stops the event loops.
 */
public final class Shutdown {
    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);
    /** How long {@link #stop()} waits for answers the engine completed, at least, when the drain timeout has passed. */
    private static final long ANSWER_GRACE_MILLIS = 1_000;

    private final ServerContext server;
    private final Channel serverChannel;
    private final ChannelGroup allChannels;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private long start;
    private long deadline;
    private int unfinished;

    public Shutdown(ServerContext server, Channel serverChannel, ChannelGroup allChannels, EventLoopGroup bossGroup,
            EventLoopGroup workerGroup) {
        this.server = server;
        this.serverChannel = serverChannel;
        this.allChannels = allChannels;
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
    }

    /**
     * Marks the server draining, closes the listening socket, flushes what is pending, tells every
     * client connection to go and waits for them to close, within the drain timeout. The event loops
     * keep running, and plain HTTP connections stay open for their answers.
     */
    public void drain() {
        start = System.nanoTime();
        deadline = start + server.config().drainTimeout().toNanos();
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
        unfinished = awaitSessionsClosed(deadline);
    }

    /**
     * After the engine has closed: waits for the answers to publishes under way to be written (the
     * rest of the drain timeout, at least {@link #ANSWER_GRACE_MILLIS}), closes every connection
     * left (plain HTTP ones, and clients that were cut) and stops the event loops.
     */
    public void stop() {
        int unanswered = server.pendingAnswers().awaitNone(Math.max(ANSWER_GRACE_MILLIS, remainingMillis(deadline)));
        if (unanswered > 0) {
            log.warn("{} HTTP requests had no answer from the engine and were cut", unanswered);
        }
        // queued on each connection's loop after the answers already written, so those go out first
        allChannels.close().awaitUninterruptibly(Math.max(ANSWER_GRACE_MILLIS, remainingMillis(deadline)));
        workerGroup.shutdownGracefully(0, Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(Math.max(ANSWER_GRACE_MILLIS, remainingMillis(deadline)));
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
