package io.herald.bench.peers;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The subscribers of each channel, grouped by event loop, so that a broadcast costs one task per
 * event loop rather than one per subscriber: each task writes a {@code retainedDuplicate} of the
 * one encoded buffer to every subscriber of its loop, then flushes them. The lists of a loop are
 * only touched on that loop; the maps are concurrent. Thread-safe.
 */
final class PeerChannels {
    private final ConcurrentMap<String, ConcurrentMap<EventLoop, List<Channel>>> groups = new ConcurrentHashMap<>();

    /** Call on {@code ch}'s event loop. */
    void subscribe(String channel, Channel ch) {
        EventLoop loop = ch.eventLoop();
        List<Channel> list = groups.computeIfAbsent(channel, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(loop, k -> new ArrayList<>());
        list.add(ch);
        ch.closeFuture().addListener(f -> list.remove(ch)); // runs on the same loop
    }

    /** Sends {@code frame} to every subscriber of {@code channel}; releases it; returns the number of event loops reached. */
    int broadcast(String channel, ByteBuf frame) {
        Map<EventLoop, List<Channel>> byLoop = groups.get(channel);
        try {
            if (byLoop == null) {
                return 0;
            }
            byLoop.forEach((loop, list) -> {
                ByteBuf mine = frame.retainedDuplicate();
                loop.execute(() -> {
                    try {
                        for (Channel ch : list) {
                            ch.write(new TextWebSocketFrame(mine.retainedDuplicate()), ch.voidPromise());
                        }
                        for (Channel ch : list) {
                            ch.flush();
                        }
                    } finally {
                        mine.release();
                    }
                });
            });
            return byLoop.size();
        } finally {
            frame.release();
        }
    }
}
