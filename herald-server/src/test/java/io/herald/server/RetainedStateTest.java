package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC §6 retained state (the settings-sync use case): a client that opens late gets the current
 * value of every key in {@code subscribed} before any change; a publisher can remove a key; the
 * state is bounded by {@code retainedMaxKeys}.
 */
class RetainedStateTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        NamespaceOptions settings = NamespaceOptions.newBuilder().retained(true).retainedMaxKeys(3).historySize(2).build();
        server = TestServer.start(b -> b, HeraldConfig.newBuilder().namespaces(Map.of("settings", settings)).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> state(JsonNode subscribed) {
        List<String> out = new ArrayList<>();
        subscribed.path("state").forEach(v -> out.add(v.path("event").asText() + "=" + v.path("data").asText()));
        return out;
    }

    @Test
    void aLateClientGetsTheLatestValueOfEveryKeyThenTheChanges() {
        server.publish("settings:1", "theme", "\"dark\"");
        server.publish("settings:1", "lang", "\"en\"");
        server.publish("settings:1", "theme", "\"light\"");
        server.publish("settings:1", "zoom", "\"110\"");
        // history holds only the last 2 messages: the state survives its eviction
        try (TestClient late = server.client("/ws")) {
            late.send("{\"type\":\"subscribe\",\"channel\":\"settings:1\"}");
            JsonNode subscribed = late.expect("subscribed");
            assertThat(subscribed.path("recovered").asBoolean()).isFalse();
            assertThat(state(subscribed)).containsExactly("lang=en", "theme=light", "zoom=110");
            server.publish("settings:1", "lang", "\"fr\"");
            JsonNode change = late.expect("message");
            assertThat(change.path("event").asText()).isEqualTo("lang");
            assertThat(change.path("offset").asLong()).isEqualTo(subscribed.path("offset").asLong() + 1);
        }
        JsonNode info = server.get("/api/channels/settings:1").json();
        assertThat(info.path("state")).hasSize(3);
    }

    @Test
    void aPublisherRemovesAKeyAndTheStateIsBounded() {
        server.publish("settings:2", "a", "1");
        server.publish("settings:2", "b", "2");
        server.publish("settings:2", "c", "3");
        TestServer.Response full = server.post("/api/publish", "{\"channel\":\"settings:2\",\"event\":\"d\",\"data\":4}");
        assertThat(full.status()).isEqualTo(413);
        assertThat(full.json().path("error").path("message").asText()).contains("retained.maxKeys");
        assertThat(server.publish("settings:2", "c", "33")).as("an existing key still updates").isPositive();

        TestServer.Response removed = server.request("DELETE", "/api/channels/settings:2/state?key=b", null,
                "X-Api-Key", TestServer.PUBLISH_KEY);
        assertThat(removed.status()).isEqualTo(200);
        assertThat(server.request("DELETE", "/api/channels/settings:2/state?key=b", null, "X-Api-Key", TestServer.PUBLISH_KEY)
                .status()).isEqualTo(404);
        assertThat(server.request("DELETE", "/api/channels/settings:2/state?key=a", null).status()).isEqualTo(401);
        try (TestClient c = server.client("/ws/settings:2")) {
            assertThat(state(c.expect("subscribed"))).containsExactly("a=1", "c=33");
        }
        assertThat(server.publish("settings:2", "d", "4")).as("room again after the removal").isPositive();
    }

    @Test
    void aClientThatRecoversGetsTheMissedMessagesAndOneThatCannotGetsTheState() {
        server.publish("settings:3", "theme", "\"dark\"");
        String epoch = server.herald.position("settings:3").epoch();
        server.publish("settings:3", "theme", "\"light\"");
        try (TestClient back = server.client("/ws")) {
            back.send("{\"type\":\"subscribe\",\"channel\":\"settings:3\",\"since\":{\"epoch\":\"" + epoch + "\",\"offset\":1}}");
            JsonNode subscribed = back.expect("subscribed");
            assertThat(subscribed.path("recovered").asBoolean()).isTrue();
            assertThat(subscribed.has("state")).isFalse();
            assertThat(back.expect("message").path("offset").asLong()).isEqualTo(2);
        }
        try (TestClient stale = server.client("/ws")) {
            stale.send("{\"type\":\"subscribe\",\"channel\":\"settings:3\",\"since\":{\"epoch\":\"gone\",\"offset\":1}}");
            JsonNode subscribed = stale.expect("subscribed");
            assertThat(subscribed.path("recovered").asBoolean()).isFalse();
            assertThat(state(subscribed)).containsExactly("theme=light");
        }
    }
}
