package io.herald.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.client.ConnectionLostException;
import io.herald.client.ConnectionStatus;
import io.herald.client.PublishOptions;
import io.herald.client.Published;
import io.herald.client.ServerErrorException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * A client's publishes: those waiting for a connection, sent in order once welcomed, and those
 * sent and not yet answered. A publish is sent at most once: one whose connection ends before the
 * answer fails with {@link ConnectionLostException} (it may or may not have been published).
 * Client thread only.
 */
final class Publishes {
    private final CommandSink sink;
    private final Queue<Pending> waiting = new ArrayDeque<>();
    private final Map<Long, Pending> sent = new HashMap<>();

    Publishes(CommandSink sink) {
        this.sink = sink;
    }

    record Pending(String channel, String event, JsonNode data, PublishOptions options, CompletableFuture<Published> result) {
    }

    void add(Pending p) {
        if (sink.connected()) {
            send(p);
        } else {
            waiting.add(p);
        }
    }

    private void send(Pending p) {
        long id = sink.nextId();
        sent.put(id, p);
        sink.send(ClientJson.publish(id, p.channel, p.event, p.data, p.options.key(), p.options.critical()));
    }

    /** Welcomed: what waited goes, in order. */
    void connected() {
        Pending p;
        while ((p = waiting.poll()) != null) {
            send(p);
        }
    }

    /** The connection ended: what was sent gets no answer. */
    void disconnected(ConnectionStatus why) {
        for (Pending p : sent.values()) {
            p.result.completeExceptionally(ConnectionLostException.beforeAnswer("publish to " + p.channel, why));
        }
        sent.clear();
    }

    /** Nothing more will be sent: every publish fails. */
    void stopped(ConnectionStatus why) {
        disconnected(why);
        Pending p;
        while ((p = waiting.poll()) != null) {
            p.result.completeExceptionally(ConnectionLostException.disconnected(why));
        }
    }

    /** {@code published}: returns whether it answered one of ours. */
    boolean published(long id, JsonNode frame) {
        Pending p = sent.remove(id);
        if (p == null) {
            return false;
        }
        p.result.complete(new Published(frame.path("channel").asText(p.channel), frame.path("offset").asLong(),
                frame.path("epoch").asText(), frame.path("ts").asLong()));
        return true;
    }

    /** An {@code error} answering command {@code id}: returns whether it was a publish. */
    boolean error(long id, ServerErrorException error) {
        Pending p = sent.remove(id);
        if (p == null) {
            return false;
        }
        p.result.completeExceptionally(error);
        return true;
    }
}
