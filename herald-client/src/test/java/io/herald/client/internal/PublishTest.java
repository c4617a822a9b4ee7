package io.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.client.ConnectionLostException;
import io.herald.client.ErrorCode;
import io.herald.client.PublishOptions;
import io.herald.client.Published;
import io.herald.client.ServerErrorException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class PublishTest {
    private final ClientFixture f = ClientFixture.create();

    @Test
    void aPublishCompletesWithTheServersAnswer() {
        ScriptedTransport.Connection c = f.connected(30_000);
        CompletableFuture<Published> p = f.core.publish("scan:1", "progress", Map.of("pct", 40), PublishOptions.keyed("p").asCritical());
        f.scheduler.runPending();
        JsonNode sent = ClientFixture.json(c.lastSent());
        assertThat(sent.toString()).isEqualTo("{\"type\":\"publish\",\"id\":1,\"channel\":\"scan:1\",\"event\":\"progress\","
                + "\"data\":{\"pct\":40},\"key\":\"p\",\"critical\":true}");
        f.frame(c, "{\"type\":\"published\",\"id\":1,\"channel\":\"scan:1\",\"offset\":12,\"epoch\":\"e1\",\"ts\":99}");
        assertThat(p).isCompletedWithValue(new Published("scan:1", 12, "e1", 99));
    }

    @Test
    void theServersRefusalIsATypedException() {
        ScriptedTransport.Connection c = f.connected(30_000);
        CompletableFuture<Published> p = f.core.publish("scan:1", "x", null, PublishOptions.PLAIN);
        f.scheduler.runPending();
        f.frame(c, "{\"type\":\"error\",\"id\":1,\"code\":\"forbidden\",\"message\":\"no publish permission for scan:1\"}");
        assertThat(p).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(ServerErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
                    assertThat(e.getMessage()).isEqualTo("forbidden: no publish permission for scan:1");
                });
    }

    @Test
    void anUnknownCodeIsKeptAsSent() {
        ScriptedTransport.Connection c = f.connected(30_000);
        CompletableFuture<Published> p = f.core.publish("scan:1", "x", 1, PublishOptions.PLAIN);
        f.scheduler.runPending();
        f.frame(c, "{\"type\":\"error\",\"id\":1,\"code\":\"quota_exceeded\",\"message\":\"later\"}");
        assertThat(p).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(ServerErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN);
                    assertThat(e.wireCode()).isEqualTo("quota_exceeded");
                });
    }

    @Test
    void publishesWhileReconnectingWaitAndGoInOrderOnceWelcomed() {
        ScriptedTransport.Connection c = f.connected(30_000);
        c.cut();
        f.scheduler.runPending();
        CompletableFuture<Published> first = f.core.publish("a:1", "one", 1, PublishOptions.PLAIN);
        CompletableFuture<Published> second = f.core.publish("a:1", "two", 2, PublishOptions.PLAIN);
        f.scheduler.runPending();
        assertThat(first).isNotDone();
        f.scheduler.advance(Duration.ofMillis(500));
        ScriptedTransport.Connection c2 = f.welcomeLatest();
        assertThat(ClientFixture.sent(c2, "publish")).extracting(n -> n.path("event").asText()).containsExactly("one", "two");
    }

    @Test
    void aPublishWithoutAnswerWhenTheConnectionDropsFailsAndIsNeverSentTwice() {
        ScriptedTransport.Connection c = f.connected(30_000);
        CompletableFuture<Published> p = f.core.publish("a:1", "once", 1, PublishOptions.PLAIN);
        f.scheduler.runPending();
        c.cut();
        f.scheduler.runPending();
        assertThat(p).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ConnectionLostException.class)
                .withMessageContaining("may or may not have taken effect");
        f.scheduler.advance(Duration.ofMillis(500));
        assertThat(ClientFixture.sent(f.welcomeLatest(), "publish")).isEmpty();
    }

    @Test
    void dataThatIsNotJsonFailsAtOnce() {
        CompletableFuture<Published> p = f.core.publish("a:1", "x", new Object(), PublishOptions.PLAIN);
        assertThat(p).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalArgumentException.class);
    }
}
