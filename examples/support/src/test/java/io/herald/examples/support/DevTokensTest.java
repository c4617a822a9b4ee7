package io.herald.examples.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.Herald;
import io.herald.HeraldClock;
import io.herald.server.AuthConfig;
import io.herald.server.HeraldServer;
import io.herald.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DevTokensTest {
    @Test
    void aHeraldWithTheSecretWelcomesTheTokenAndLetsItSubscribeToItsChannels() throws Exception {
        DevTokens tokens = DevTokens.random(HeraldClock.SYSTEM);
        HeraldServer server = HeraldServer.create(ServerConfig.newBuilder().port(0)
                .auth(AuthConfig.newBuilder().jwtSecret(tokens.secret()).build()).build());
        try (Herald herald = Herald.builder().transport(server).start()) {
            BlockingQueue<String> frames = new LinkedBlockingQueue<>();
            String token = tokens.mint("viewer", List.of("scan:*"), Duration.ofMinutes(1));
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws?token=" + token), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            frames.add(data.toString());
                            return WebSocket.Listener.super.onText(w, data, last);
                        }
                    }).join();
            assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("\"type\":\"welcome\"");
            ws.sendText("{\"type\":\"subscribe\",\"channel\":\"scan:1\"}", true).join();
            assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("\"type\":\"subscribed\"");
            ws.sendText("{\"type\":\"subscribe\",\"channel\":\"metrics:1\"}", true).join();
            assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("\"code\":\"forbidden\"");
            ws.abort();
        }
    }

    @Test
    void aTokenCarriesItsSubjectChannelsAndLifetime() {
        DevTokens tokens = DevTokens.random(new HeraldClock() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public long epochMillis() {
                return 1_800_000_000_000L;
            }
        });
        var claims = DevTokens.claims(tokens.mint("ann", List.of("scan:*", "scans:*"), Duration.ofMinutes(15)));
        assertThat(claims).containsEntry("sub", "ann").containsEntry("iat", 1_800_000_000)
                .containsEntry("exp", 1_800_000_900).containsEntry("channels", List.of("scan:*", "scans:*"));
        assertThat(tokens.secret()).hasSize(64);
        assertThat(tokens.toString()).doesNotContain(tokens.secret());
    }
}
