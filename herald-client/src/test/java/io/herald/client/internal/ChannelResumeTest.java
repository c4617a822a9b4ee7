package io.herald.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.client.ChannelMessage;
import io.herald.client.ErrorCode;
import io.herald.client.Lag;
import io.herald.client.NotRecovered;
import io.herald.client.Position;
import io.herald.client.ServerErrorException;
import io.herald.client.SubscribeOptions;
import io.herald.client.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions across connections: resubscribed from their position, exactly once, in order;
 * batches unpacked; state before messages; lag recovered; what cannot be recovered reported.
 */
class ChannelResumeTest {
    private final ClientFixture f = ClientFixture.create();
    /** Everything the subscription's listeners heard, in order. */
    private final List<String> heard = new ArrayList<>();
    private final List<Long> offsets = new ArrayList<>();

    private SubscribeOptions.Builder recording() {
        return SubscribeOptions.newBuilder()
                .onMessage(m -> {
                    heard.add("message " + m.offset());
                    offsets.add(m.offset());
                })
                .onState(s -> heard.add("state " + s.stream().map(ChannelMessage::event).toList()))
                .onLag(l -> heard.add("lag " + l.skipped()))
                .onNotRecovered(n -> heard.add("notRecovered " + n.lastSeen() + " -> " + n.resumedAt()))
                .onUnsubscribed(r -> heard.add("unsubscribed " + r))
                .onError(e -> heard.add("error " + e.wireCode()));
    }

    private static String subscribed(long id, String epoch, long offset, boolean recovered) {
        return "{\"type\":\"subscribed\",\"id\":" + id + ",\"channel\":\"scan:1\",\"epoch\":\"" + epoch + "\",\"offset\":"
                + offset + ",\"recovered\":" + recovered + "}";
    }

    private static String message(long offset) {
        return "{\"type\":\"message\",\"channel\":\"scan:1\",\"event\":\"host\",\"offset\":" + offset + ",\"ts\":1,\"data\":"
                + offset + "}";
    }

    private static String batch(long... offsets) {
        StringBuilder b = new StringBuilder("{\"type\":\"batch\",\"channel\":\"scan:1\",\"messages\":[");
        for (int i = 0; i < offsets.length; i++) {
            b.append(i > 0 ? "," : "").append("{\"event\":\"host\",\"offset\":").append(offsets[i]).append(",\"ts\":1,\"data\":")
                    .append(offsets[i]).append('}');
        }
        return b.append("]}").toString();
    }

    private JsonNode lastSubscribe(ScriptedTransport.Connection c) {
        List<JsonNode> s = ClientFixture.sent(c, "subscribe");
        return s.get(s.size() - 1);
    }

    @Test
    void aSubscriptionMadeBeforeConnectingIsSentOnWelcomeWithItsFilter() {
        f.core.subscribe("scan:1", recording().events(Set.of("host")).build());
        f.scheduler.runPending();
        ScriptedTransport.Connection c = f.connected(30_000);
        JsonNode s = lastSubscribe(c);
        assertThat(s.path("channel").asText()).isEqualTo("scan:1");
        assertThat(s.path("events").toString()).isEqualTo("[\"host\"]");
        assertThat(s.has("since")).isFalse();
    }

    @Test
    void batchesAreUnpackedInOrderWithTheirChannel() {
        List<ChannelMessage> got = new ArrayList<>();
        f.core.subscribe("scan:1", SubscribeOptions.newBuilder().onMessage(got::add).build());
        ScriptedTransport.Connection c = f.connected(30_000);
        f.frame(c, subscribed(1, "e1", 0, false));
        f.frame(c, batch(1, 2, 3));
        f.frame(c, message(4));
        assertThat(got).extracting(ChannelMessage::offset).containsExactly(1L, 2L, 3L, 4L);
        assertThat(got).extracting(ChannelMessage::channel).containsOnly("scan:1");
        assertThat(got.get(2).dataAs(Integer.class)).isEqualTo(3);
    }

    @Test
    void everyReconnectResubscribesFromTheLastOffsetAndNothingArrivesTwice() {
        Subscription sub = f.core.subscribe("scan:1", recording().build());
        ScriptedTransport.Connection c = f.connected(30_000);
        f.frame(c, subscribed(1, "e1", 5, false));
        f.frame(c, batch(6, 7));
        assertThat(sub.position()).contains(new Position("e1", 7));
        c.cut();
        f.scheduler.runPending();
        f.scheduler.advance(Duration.ofMillis(500));
        ScriptedTransport.Connection c2 = f.welcomeLatest();
        JsonNode s = lastSubscribe(c2);
        assertThat(s.path("since").path("epoch").asText()).isEqualTo("e1");
        assertThat(s.path("since").path("offset").asLong()).isEqualTo(7);
        f.frame(c2, subscribed(s.path("id").asLong(), "e1", 9, true));
        f.frame(c2, batch(6, 7, 8, 9)); // overlapping what came before the drop
        f.frame(c2, message(10));
        assertThat(offsets).containsExactly(6L, 7L, 8L, 9L, 10L);
        assertThat(heard).noneMatch(h -> h.startsWith("notRecovered"));
    }

    @Test
    void aResumeThatIsNotRecoveredReachesTheApplicationBeforeTheStateAndTheNextMessages() {
        Subscription sub = f.core.subscribe("scan:1", recording().build());
        ScriptedTransport.Connection c = f.connected(30_000);
        f.frame(c, subscribed(1, "e1", 3, false));
        f.frame(c, message(4));
        c.serverCloses(1001, "server shutdown");
        f.scheduler.runPending();
        f.scheduler.advance(Duration.ofMillis(500));
        ScriptedTransport.Connection c2 = f.welcomeLatest();
        long id = lastSubscribe(c2).path("id").asLong();
        f.frame(c2, "{\"type\":\"subscribed\",\"id\":" + id + ",\"channel\":\"scan:1\",\"epoch\":\"e2\",\"offset\":2,"
                + "\"recovered\":false,\"state\":[{\"event\":\"phase\",\"offset\":1,\"ts\":1,\"data\":\"scanning\"}]}");
        f.frame(c2, message(3));
        assertThat(heard).containsExactly("message 4", "notRecovered e1:4 -> e2:2", "state [phase]", "message 3");
        assertThat(sub.position()).contains(new Position("e2", 3));
    }

    @Test
    void retainedStateComesBeforeLiveMessagesOnTheFirstSubscribe() {
        Subscription sub = f.core.subscribe("scan:1", recording().build());
        ScriptedTransport.Connection c = f.connected(30_000);
        f.frame(c, "{\"type\":\"subscribed\",\"id\":1,\"channel\":\"scan:1\",\"epoch\":\"e1\",\"offset\":7,\"recovered\":false,"
                + "\"state\":[{\"event\":\"theme\",\"offset\":2,\"ts\":1,\"key\":\"theme\",\"data\":\"dark\"},"
                + "{\"event\":\"lang\",\"offset\":7,\"ts\":1,\"data\":\"en\"}]}");
        f.frame(c, message(8));
        assertThat(heard).containsExactly("state [theme, lang]", "message 8");
        assertThat(sub.ready()).isCompletedWithValue(new Position("e1", 8 - 1));
    }

    @Test
    void aLagResubscribesFromTheLastOffsetAndFramesBeforeTheAnswerAreLeftOut() {
        f.core.subscribe("scan:1", recording().build());
        ScriptedTransport.Connection c = f.connected(30_000);
        f.frame(c, subscribed(1, "e1", 0, false));
        f.frame(c, batch(1, 2));
        f.frame(c, "{\"type\":\"lag\",\"channel\":\"scan:1\",\"skipped\":5}");
        JsonNode again = lastSubscribe(c);
        assertThat(again.path("since").path("offset").asLong()).isEqualTo(2);
        f.frame(c, batch(8, 9)); // after the gap, from the subscription being replaced
        f.frame(c, subscribed(again.path("id").asLong(), "e1", 9, true));
        f.frame(c, batch(3, 4, 5, 6, 7, 8, 9));
        assertThat(offsets).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(heard).contains("lag 5");
    }

    @Test
    void aCatchUpThatLagsBeforeAnyProgressIsNotAskedForAgainAndItsGapIsReported() {
        f.core.subscribe("scan:1", recording().build());
        ScriptedTransport.Connection c = f.connected(30_000);
        f.frame(c, subscribed(1, "e1", 0, false));
        f.frame(c, batch(1, 2));
        f.frame(c, "{\"type\":\"lag\",\"channel\":\"scan:1\",\"skipped\":40}");
        long id = lastSubscribe(c).path("id").asLong();
        f.frame(c, subscribed(id, "e1", 50, true));
        f.frame(c, "{\"type\":\"lag\",\"channel\":\"scan:1\",\"skipped\":42}"); // the catch-up overflowed too
        assertThat(ClientFixture.sent(c, "subscribe")).as("not asked again").hasSize(2);
        f.frame(c, batch(45, 46, 47, 48, 49, 50));
        f.frame(c, message(51));
        assertThat(heard).containsExactly("message 1", "message 2", "lag 40", "lag 42", "notRecovered e1:2 -> e1:44",
                "message 45", "message 46", "message 47", "message 48", "message 49", "message 50", "message 51");
        // a later lag, after progress, is recovered again
        f.frame(c, "{\"type\":\"lag\",\"channel\":\"scan:1\",\"skipped\":1}");
        assertThat(lastSubscribe(c).path("since").path("offset").asLong()).isEqualTo(51);
    }

    @Test
    void aSubscriptionCanStartFromAPositionTheApplicationKept() {
        f.core.subscribe("scan:1", recording().since(new Position("e1", 40)).build());
        ScriptedTransport.Connection c = f.connected(30_000);
        JsonNode s = lastSubscribe(c);
        assertThat(s.path("since").path("offset").asLong()).isEqualTo(40);
        f.frame(c, subscribed(1, "e1", 42, true));
        f.frame(c, batch(41, 42));
        assertThat(offsets).containsExactly(41L, 42L);
    }

    @Test
    void aRefusedSubscriptionEndsAndSaysWhy() {
        Subscription sub = f.core.subscribe("scan:1", recording().build());
        ScriptedTransport.Connection c = f.connected(30_000);
        f.frame(c, "{\"type\":\"error\",\"id\":1,\"code\":\"forbidden\",\"message\":\"not in the token's channels\"}");
        assertThat(heard).containsExactly("error forbidden");
        assertThat(sub.isActive()).isFalse();
        assertThat(sub.ready()).failsWithin(Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(ServerErrorException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        c.cut();
        f.scheduler.runPending();
        f.scheduler.advance(Duration.ofMillis(500));
        assertThat(ClientFixture.sent(f.welcomeLatest(), "subscribe")).as("not resubscribed").isEmpty();
    }

    @Test
    void aRetryableRefusalSubscribesAgainAfterABackoff() {
        Subscription sub = f.core.subscribe("scan:1", recording().build());
        ScriptedTransport.Connection c = f.connected(30_000);
        f.frame(c, "{\"type\":\"error\",\"id\":1,\"code\":\"unavailable\",\"message\":\"engine down\"}");
        assertThat(sub.isActive()).isTrue();
        assertThat(ClientFixture.sent(c, "subscribe")).hasSize(1);
        f.scheduler.advance(Duration.ofMillis(500));
        assertThat(ClientFixture.sent(c, "subscribe")).hasSize(2);
    }

    @Test
    void theServerEndingASubscriptionReachesTheApplication() {
        Subscription sub = f.core.subscribe("scan:1", recording().build());
        ScriptedTransport.Connection c = f.connected(30_000);
        f.frame(c, subscribed(1, "e1", 0, false));
        f.frame(c, "{\"type\":\"unsubscribed\",\"channel\":\"scan:1\",\"reason\":\"deleted\"}");
        f.frame(c, message(1));
        assertThat(heard).containsExactly("unsubscribed deleted");
        assertThat(sub.isActive()).isFalse();
    }

    @Test
    void unsubscribeTellsTheServerAndNothingMoreIsDelivered() {
        Subscription sub = f.core.subscribe("scan:1", recording().build());
        ScriptedTransport.Connection c = f.connected(30_000);
        f.frame(c, subscribed(1, "e1", 0, false));
        sub.unsubscribe();
        f.frame(c, message(1));
        assertThat(offsets).isEmpty();
        assertThat(ClientFixture.sent(c, "unsubscribe")).extracting(n -> n.path("channel").asText()).containsExactly("scan:1");
        // the channel can be subscribed again at once; the new subscription ignores the old one's frames
        f.core.subscribe("scan:1", recording().build());
        f.scheduler.runPending();
        f.frame(c, message(2));
        f.frame(c, subscribed(lastSubscribe(c).path("id").asLong(), "e1", 2, false));
        f.frame(c, message(3));
        assertThat(offsets).containsExactly(3L);
    }

    @Test
    void oneActiveSubscriptionPerChannel() {
        f.core.subscribe("scan:1", SubscribeOptions.DEFAULTS);
        assertThatThrownBy(() -> f.core.subscribe("scan:1", SubscribeOptions.DEFAULTS))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already subscribed to scan:1");
    }

    @Test
    void lagIsReportedWithItsCount() {
        List<Lag> lags = new ArrayList<>();
        List<NotRecovered> gaps = new ArrayList<>();
        f.core.subscribe("scan:1", SubscribeOptions.newBuilder().onLag(lags::add).onNotRecovered(gaps::add).build());
        ScriptedTransport.Connection c = f.connected(30_000);
        f.frame(c, subscribed(1, "e1", 10, false));
        f.frame(c, "{\"type\":\"lag\",\"channel\":\"scan:1\",\"skipped\":3}");
        f.frame(c, subscribed(2, "e1", 20, false)); // the history no longer held them
        assertThat(lags).containsExactly(new Lag("scan:1", 3));
        assertThat(gaps).containsExactly(new NotRecovered("scan:1", new Position("e1", 10), new Position("e1", 20)));
    }
}
