package io.herald.server.internal;

import io.herald.server.ConnectionStats;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Every open WebSocket connection of this server, by id. Thread-safe. */
public final class ConnectionRegistry {
    private final ConcurrentHashMap<String, WebSocketSession> open = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    void add(WebSocketSession session) {
        open.put(session.id(), session);
        total.incrementAndGet();
    }

    void remove(WebSocketSession session) {
        open.remove(session.id(), session);
    }

    public int active() {
        return open.size();
    }

    /** Connections accepted since start. */
    public long total() {
        return total.get();
    }

    public Optional<ConnectionStats> find(String id) {
        WebSocketSession s = open.get(id);
        return s == null ? Optional.empty() : Optional.of(s.info().snapshot());
    }

    public List<ConnectionStats> snapshot() {
        List<ConnectionStats> all = new ArrayList<>(open.size());
        for (WebSocketSession s : open.values()) {
            all.add(s.info().snapshot());
        }
        return all;
    }

    Collection<WebSocketSession> sessions() {
        return open.values();
    }
}
