package io.herald.bench.peers.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * The Spring Boot peer of the Herald benchmarks: a plain WebSocket handler at {@code /ws/{channel}}
 * and a REST {@code POST /api/publish} that sends one {@code message} frame shaped like Herald's to
 * every subscriber of the channel. Run with {@code java -jar spring-peer.jar --server.port=P}.
 */
@SpringBootApplication
@EnableWebSocket
public class SpringPeerApplication implements WebSocketConfigurer {
    private final BroadcastHandler handler = new BroadcastHandler();

    public static void main(String[] args) {
        SpringApplication.run(SpringPeerApplication.class, args);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/ws/*").setAllowedOrigins("*");
    }

    @org.springframework.context.annotation.Bean
    BroadcastHandler broadcastHandler() {
        return handler;
    }
}
