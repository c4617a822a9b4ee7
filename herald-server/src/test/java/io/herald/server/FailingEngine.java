package io.herald.server;

import io.herald.Engines;
import io.herald.ForwardingEngine;
import io.herald.HeraldException;
import io.herald.Message;
import io.herald.Publication;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The memory engine, except that a publish to a channel of namespace {@code quota} fails with
 * {@code rate_limited} and one of namespace {@code down} with an unavailable engine, each
 * asynchronously (from another thread, so the failure reaches callbacks wrapped in a
 * {@code CompletionException}), as a remote engine's would.
 */
final class FailingEngine extends ForwardingEngine {
    FailingEngine() {
        super(Engines.memory());
    }

    @Override
    public CompletableFuture<Publication> publish(Message message) {
        if (message.channel().startsWith("quota:")) {
            return later(HeraldException.rateLimited("the engine's publish quota for " + message.channel() + " is spent"));
        }
        if (message.channel().startsWith("down:")) {
            return later(HeraldException.engineUnavailable("the broker is unreachable"));
        }
        return super.publish(message);
    }

    private static CompletableFuture<Publication> later(HeraldException e) {
        return CompletableFuture.supplyAsync(() -> {
            throw e;
        }, CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS));
    }
}
