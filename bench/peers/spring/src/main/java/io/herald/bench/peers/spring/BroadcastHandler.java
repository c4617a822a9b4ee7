package io.herald.bench.peers.spring;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * Keeps the sessions of each channel and sends to them. Each session is wrapped in Spring's
 * {@link ConcurrentWebSocketSessionDecorator} (10 s send limit, 1 MiB buffer), as the Spring
 * documentation advises for sending from several threads. Thread-safe.
 */
public class BroadcastHandler extends TextWebSocketHandler {
    private final Map<String, Set<WebSocketSession>> channels = new ConcurrentHashMap<>();
    private final Map<String, WebSocketSession> decorated = new ConcurrentHashMap<>();

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        String path = session.getUri() == null ? "/ws/" : session.getUri().getPath();
        String channel = path.substring(path.lastIndexOf('/') + 1);
        WebSocketSession s = new ConcurrentWebSocketSessionDecorator(session, 10_000, 1024 * 1024);
        decorated.put(session.getId(), s);
        session.getAttributes().put("channel", channel);
        channels.computeIfAbsent(channel, k -> ConcurrentHashMap.newKeySet()).add(s);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        WebSocketSession s = decorated.remove(session.getId());
        Set<WebSocketSession> set = channels.get((String) session.getAttributes().get("channel"));
        if (s != null && set != null) {
            set.remove(s);
        }
    }

    /** Sends {@code text} to every session of {@code channel}; returns how many it was sent to. */
    int broadcast(String channel, String text) {
        Set<WebSocketSession> set = channels.get(channel);
        if (set == null) {
            return 0;
        }
        TextMessage message = new TextMessage(text);
        int n = 0;
        for (WebSocketSession s : set) {
            try {
                s.sendMessage(message);
                n++;
            } catch (IOException | RuntimeException e) {
                // a failed session is closed by the decorator; the others go on
            }
        }
        return n;
    }
}
