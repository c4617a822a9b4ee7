package io.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.client.CloseCodes;
import io.herald.client.ConnectionLostException;
import io.herald.client.ConnectionState;
import io.herald.client.ConnectionStatus;
import io.herald.client.PublishOptions;
import io.herald.client.Published;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The connection's life on a manual clock: statuses, backoff and jitter between attempts, the
 * server's shutdown delay, the close codes that end reconnecting, tokens, dead-server detection.
 */
class ConnectionLifecycleTest {

    private static Duration retryIn(ConnectionStatus s) {
        return s.retryIn().orElseThrow();
    }

    @Test
    void statusGoesConnectingThenConnectedOnWelcome() {
        ClientFixture f = ClientFixture.create();
        CompletableFuture<Void> connected = f.core.connect();
        f.scheduler.runPending();
        assertThat(f.statuses).extracting(ConnectionStatus::state).containsExactly(ConnectionState.CONNECTING);
        assertThat(connected).isNotDone();
        f.welcome(f.transport.last(), 30_000);
        assertThat(f.statuses).extracting(ConnectionStatus::state)
                .containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
        assertThat(connected).isCompleted();
        assertThat(f.core.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void aDropReconnectsAfterAJitteredBackoffWithTheCloseCodeAndReason() {
        ClientFixture f = ClientFixture.create();
        ScriptedTransport.Connection c = f.connected(30_000);
        c.serverCloses(CloseCodes.TRY_AGAIN_LATER, "server full");
        f.scheduler.runPending();
        ConnectionStatus s = f.lastStatus();
        assertThat(s.state()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(s.closeCode()).isEqualTo(OptionalInt.of(1013));
        assertThat(s.reason()).isEqualTo("server full");
        assertThat(retryIn(s)).isEqualTo(Duration.ofMillis(500)); // the ceiling of the first retry
        f.scheduler.advance(Duration.ofMillis(499));
        assertThat(f.transport.opened).hasSize(1);
        f.scheduler.advance(Duration.ofMillis(1));
        assertThat(f.transport.opened).hasSize(2);
        f.welcomeLatest();
        assertThat(f.core.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void failedAttemptsDoubleTheCeilingUpTo30SecondsAndAWelcomeStartsOver() {
        ClientFixture f = ClientFixture.create();
        f.connect().refuse(new IOException("connection refused"));
        f.scheduler.runPending();
        long[] expected = {500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000};
        for (long ms : expected) {
            ConnectionStatus s = f.lastStatus();
            assertThat(s.state()).isEqualTo(ConnectionState.RECONNECTING);
            assertThat(s.closeCode()).isEqualTo(OptionalInt.of(CloseCodes.ABNORMAL));
            assertThat(s.reason()).contains("connection refused");
            assertThat(retryIn(s)).isEqualTo(Duration.ofMillis(ms));
            f.scheduler.advance(Duration.ofMillis(ms));
            f.transport.last().refuse(new IOException("connection refused"));
            f.scheduler.runPending();
        }
        f.scheduler.advance(Duration.ofSeconds(30));
        f.welcomeLatest().cut();
        f.scheduler.runPending();
        assertThat(retryIn(f.lastStatus())).as("after a welcome the backoff starts over").isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void jitterSpreadsTheRetriesOfClientsThatDroppedTogether() {
        java.util.SplittableRandom seeds = new java.util.SplittableRandom(7);
        java.util.Set<Long> delays = new java.util.TreeSet<>();
        for (int i = 0; i < 50; i++) {
            ClientFixture f = ClientFixture.withRandom(seeds.split());
            f.connected(30_000).cut();
            f.scheduler.runPending();
            long d = retryIn(f.lastStatus()).toMillis();
            assertThat(d).isBetween(0L, 500L);
            delays.add(d);
        }
        assertThat(delays).as("50 clients, 50 draws in [0, 500]: not one burst").hasSizeGreaterThan(40);
    }

    @Test
    void aShutdownNoticeMakesTheFirstRetryWaitExactlyReconnectAfterMsThenBackoffResumes() {
        ClientFixture f = ClientFixture.create();
        ScriptedTransport.Connection c = f.connected(30_000);
        f.frame(c, "{\"type\":\"shutdown\",\"reconnectAfterMs\":2345}");
        c.serverCloses(CloseCodes.GOING_AWAY, "server shutdown");
        f.scheduler.runPending();
        assertThat(f.lastStatus().closeCode()).isEqualTo(OptionalInt.of(1001));
        assertThat(retryIn(f.lastStatus())).isEqualTo(Duration.ofMillis(2345));
        f.scheduler.advance(Duration.ofMillis(2344));
        assertThat(f.transport.opened).hasSize(1);
        f.scheduler.advance(Duration.ofMillis(1));
        assertThat(f.transport.opened).hasSize(2);
        f.transport.last().refuse(new IOException("connection refused")); // the new server is not up yet
        f.scheduler.runPending();
        assertThat(retryIn(f.lastStatus())).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void policyViolationEndsReconnectingForGood() {
        ClientFixture f = ClientFixture.create();
        ScriptedTransport.Connection c = f.connected(30_000);
        CompletableFuture<Published> p = f.core.publish("a:1", "e", 1, PublishOptions.PLAIN);
        f.scheduler.runPending();
        c.serverCloses(CloseCodes.POLICY_VIOLATION, "not reading");
        f.scheduler.runPending();
        assertThat(f.lastStatus()).isEqualTo(new ConnectionStatus(ConnectionState.DISCONNECTED, OptionalInt.of(1008),
                "not reading", Optional.empty()));
        f.scheduler.advance(Duration.ofHours(1));
        assertThat(f.transport.opened).hasSize(1);
        assertThat(p).isCompletedExceptionally();
        CompletableFuture<Published> later = f.core.publish("a:1", "e", 1, PublishOptions.PLAIN);
        f.scheduler.runPending();
        assertThat(later).failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(ConnectionLostException.class);
    }

    @Test
    void connectAfterAFinalDisconnectStartsOver() {
        ClientFixture f = ClientFixture.create();
        f.connected(30_000).serverCloses(CloseCodes.POLICY_VIOLATION, "origin");
        f.scheduler.runPending();
        CompletableFuture<Void> again = f.core.connect();
        f.scheduler.runPending();
        assertThat(f.transport.opened).hasSize(2);
        f.welcomeLatest();
        assertThat(again).isCompleted();
    }

    @Test
    void unauthorizedWithAFixedTokenDoesNotReconnect() {
        ClientFixture f = ClientFixture.withToken("t1");
        ScriptedTransport.Connection c = f.connect();
        assertThat(c.headers).containsEntry("Authorization", "Bearer t1");
        CompletableFuture<Void> connected = f.core.connect();
        c.accept();
        c.serverCloses(CloseCodes.UNAUTHORIZED, "token expired");
        f.scheduler.runPending();
        assertThat(f.lastStatus().state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(f.lastStatus().closeCode()).isEqualTo(OptionalInt.of(4001));
        assertThat(connected).isCompletedExceptionally();
        f.scheduler.advance(Duration.ofHours(1));
        assertThat(f.transport.opened).hasSize(1);
    }

    @Test
    void unauthorizedReconnectsWithAFreshTokenFromTheSupplierOnly() {
        Queue<String> tokens = new ArrayDeque<>(List.of("t1", "t2", "t2"));
        ClientFixture f = ClientFixture.withSupplier(tokens::poll);
        f.connected(30_000).serverCloses(CloseCodes.UNAUTHORIZED, "token expired");
        f.scheduler.runPending();
        assertThat(f.lastStatus().state()).isEqualTo(ConnectionState.RECONNECTING);
        f.scheduler.advance(retryIn(f.lastStatus()));
        ScriptedTransport.Connection second = f.transport.last();
        assertThat(second.headers).containsEntry("Authorization", "Bearer t2");
        f.welcome(second, 30_000);
        second.serverCloses(CloseCodes.UNAUTHORIZED, "token expired");
        f.scheduler.runPending();
        f.scheduler.advance(retryIn(f.lastStatus()));
        assertThat(f.transport.opened).as("the supplier gave the refused token again: no attempt").hasSize(2);
        assertThat(f.lastStatus().state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(f.lastStatus().closeCode()).isEqualTo(OptionalInt.of(4001));
    }

    @Test
    void aSupplierThatThrowsCountsAsAFailedAttempt() {
        int[] calls = {0};
        ClientFixture f = ClientFixture.withSupplier(() -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("auth server down");
            }
            return "t";
        });
        f.core.connect();
        f.scheduler.runPending();
        assertThat(f.transport.opened).isEmpty();
        assertThat(f.lastStatus().state()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(f.lastStatus().reason()).contains("auth server down");
        f.scheduler.advance(retryIn(f.lastStatus()));
        assertThat(f.transport.opened).hasSize(1);
    }

    @Test
    void aServerSilentForItsTimeoutIsTakenForDead() {
        ClientFixture f = ClientFixture.create();
        ScriptedTransport.Connection c = f.connected(3_000);
        f.scheduler.advance(Duration.ofMillis(2_000));
        f.frame(c, "{\"type\":\"ping\"}");
        assertThat(c.lastSent()).isEqualTo("{\"type\":\"pong\"}");
        f.scheduler.advance(Duration.ofMillis(2_999));
        assertThat(c.aborted).isFalse();
        assertThat(f.core.state()).isEqualTo(ConnectionState.CONNECTED);
        f.scheduler.advance(Duration.ofMillis(1));
        assertThat(c.aborted).isTrue();
        ConnectionStatus s = f.lastStatus();
        assertThat(s.state()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(s.closeCode()).isEqualTo(OptionalInt.of(CloseCodes.ABNORMAL));
        assertThat(s.reason()).contains("no frame from the server for 3000 ms");
        f.scheduler.advance(retryIn(s));
        assertThat(f.transport.opened).hasSize(2);
    }

    @Test
    void everyFrameIsASignOfLifeAndTheNextIsRequestedOnlyAfterHandling() {
        ClientFixture f = ClientFixture.create();
        ScriptedTransport.Connection c = f.connected(1_000);
        for (int i = 0; i < 10; i++) {
            f.scheduler.advance(Duration.ofMillis(900));
            f.frame(c, "{\"type\":\"pong\"}");
        }
        assertThat(c.aborted).isFalse();
        assertThat(c.requested).isEqualTo(11); // the welcome and ten frames
    }

    @Test
    void noWelcomeWithinTheConnectTimeoutIsAFailedAttempt() {
        ClientFixture f = ClientFixture.create();
        ScriptedTransport.Connection c = f.connect().accept();
        f.scheduler.advance(Duration.ofSeconds(10));
        assertThat(c.aborted).isTrue();
        assertThat(f.lastStatus().state()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(f.lastStatus().reason()).contains("no welcome within 10000 ms");
    }

    @Test
    void eventsOfAnAttemptGivenUpOnAreIgnored() {
        ClientFixture f = ClientFixture.create();
        ScriptedTransport.Connection slow = f.connect();
        f.scheduler.advance(Duration.ofSeconds(10)); // timed out before the handshake finished
        slow.accept();
        slow.welcome(30_000);
        f.scheduler.runPending();
        assertThat(slow.aborted).isTrue();
        assertThat(f.core.state()).isEqualTo(ConnectionState.RECONNECTING);
    }

    @Test
    void closeSays1000StopsForGoodAndFailsWhatWaits() {
        ClientFixture f = ClientFixture.create();
        ScriptedTransport.Connection c = f.connected(30_000);
        CompletableFuture<Published> unanswered = f.core.publish("a:1", "e", 1, PublishOptions.PLAIN);
        f.scheduler.runPending();
        f.scheduler.execute(f.core::close); // on the client's thread, where close does not wait for itself
        f.scheduler.runPending();
        assertThat(c.closedWith).isEqualTo(CloseCodes.NORMAL);
        assertThat(f.lastStatus().state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(unanswered).isCompletedExceptionally();
        c.serverCloses(CloseCodes.NORMAL, "");
        f.scheduler.advance(Duration.ofHours(1));
        assertThat(f.transport.opened).hasSize(1);
        assertThat(f.core.connect()).isCompletedExceptionally();
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheClient() {
        ClientFixture f = ClientFixture.create();
        f.core.subscribe("a:1", io.herald.client.SubscribeOptions.newBuilder().onMessage(m -> {
            throw new IllegalStateException("application bug");
        }).build());
        ScriptedTransport.Connection c = f.connected(30_000);
        f.frame(c, "{\"type\":\"subscribed\",\"id\":1,\"channel\":\"a:1\",\"epoch\":\"e\",\"offset\":0,\"recovered\":false}");
        f.frame(c, "{\"type\":\"message\",\"channel\":\"a:1\",\"event\":\"x\",\"offset\":1,\"ts\":1,\"data\":{}}");
        f.frame(c, "{\"type\":\"ping\"}");
        assertThat(c.lastSent()).isEqualTo("{\"type\":\"pong\"}");
        assertThat(f.core.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void garbageFromTheServerIsIgnored() {
        ClientFixture f = ClientFixture.create();
        ScriptedTransport.Connection c = f.connected(30_000);
        f.frame(c, "not json");
        f.frame(c, "{\"type\":\"batch\",\"channel\":\"a:1\",\"messages\":[{\"nonsense\":true}]}");
        f.frame(c, "{\"type\":\"something-new\"}");
        f.frame(c, "{\"type\":\"ping\"}");
        assertThat(c.lastSent()).isEqualTo("{\"type\":\"pong\"}");
    }
}
