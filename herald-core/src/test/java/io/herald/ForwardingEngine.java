package io.herald;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** An engine that forwards every call to another; tests override the calls they watch or fake. */
public class ForwardingEngine implements Engine {
    protected final Engine delegate;

    public ForwardingEngine(Engine delegate) {
        this.delegate = delegate;
    }

    @Override
    public void start(Context context) {
        delegate.start(context);
    }

    @Override
    public CompletableFuture<Publication> publish(Message message) {
        return delegate.publish(message);
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        return delegate.subscribe(channel);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        return delegate.unsubscribe(channel);
    }

    @Override
    public StreamPosition position(String channel) {
        return delegate.position(channel);
    }

    @Override
    public Optional<StreamPosition> peek(String channel) {
        return delegate.peek(channel);
    }

    @Override
    public CompletableFuture<History> history(String channel, StreamPosition since, int limit) {
        return delegate.history(channel, since, limit);
    }

    @Override
    public CompletableFuture<List<Publication>> retained(String channel) {
        return delegate.retained(channel);
    }

    @Override
    public CompletableFuture<Boolean> removeRetained(String channel, String key) {
        return delegate.removeRetained(channel, key);
    }

    @Override
    public CompletableFuture<Boolean> remove(String channel) {
        return delegate.remove(channel);
    }

    @Override
    public CompletableFuture<Health> health() {
        return delegate.health();
    }

    @Override
    public CompletableFuture<Integer> sweep() {
        return delegate.sweep();
    }

    @Override
    public int channelCount() {
        return delegate.channelCount();
    }

    @Override
    public Optional<HistoryStats> historyStats(String channel) {
        return delegate.historyStats(channel);
    }

    @Override
    public HistoryTotals historyTotals() {
        return delegate.historyTotals();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
