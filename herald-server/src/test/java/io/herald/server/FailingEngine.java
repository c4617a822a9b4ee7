package io.herald.server;

import io.herald.Engine;
import io.herald.HeraldException;
import io.herald.Message;
import io.herald.Publication;
import io.herald.StreamPosition;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The memory engine, except that a publish to a channel of namespace {@code quota} fails with
 * {@code rate_limited} and one of namespace {@code down} with an unavailable engine, each
 * asynchronously (from another thread, so the failure reaches callbacks wrapped in a
 * {@code CompletionException}), as a remote engine's would.
 */
final class FailingEngine implements Engine {
    private final Engine memory = Engine.memory();

    @Override
    public void start(Context context) {
        memory.start(context);
    }

    @Override
    public CompletableFuture<Publication> publish(Message message) {
        if (message.channel().startsWith("quota:")) {
            return later(HeraldException.rateLimited("the engine's publish quota for " + message.channel() + " is spent"));
        }
        if (message.channel().startsWith("down:")) {
            return later(HeraldException.engineUnavailable("the broker is unreachable"));
        }
        return memory.publish(message);
    }

    private static CompletableFuture<Publication> later(HeraldException e) {
        return CompletableFuture.supplyAsync(() -> {
            throw e;
        }, CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS));
    }

    @Override
    public StreamPosition position(String channel) {
        return memory.position(channel);
    }

    @Override
    public Optional<StreamPosition> peek(String channel) {
        return memory.peek(channel);
    }

    @Override
    public Health health() {
        return memory.health();
    }

    @Override
    public int sweep() {
        return memory.sweep();
    }

    @Override
    public int channelCount() {
        return memory.channelCount();
    }

    @Override
    public boolean remove(String channel) {
        return memory.remove(channel);
    }

    @Override
    public void close() {
        memory.close();
    }
}
