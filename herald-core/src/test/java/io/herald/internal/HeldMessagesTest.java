package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.Engine;
import io.herald.HeraldConfig;
import io.herald.ManualClock;
import io.herald.Message;
import io.herald.NamespaceOptions;
import io.herald.Publication;
import io.herald.StreamPosition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the memory engine holds messages (issue 12, heap per history entry): a channel's held
 * messages share one copy of its name and of each event name, whatever strings the publisher's
 * parser made, and keep their data as it was published.
 */
class HeldMessagesTest {
    private static final HeraldConfig CONFIG = HeraldConfig.newBuilder().namespaces(Map.of("r",
            NamespaceOptions.newBuilder().retained(true).build())).build();
    private final MemoryEngine engine = new MemoryEngine();

    @BeforeEach
    void start() {
        engine.start(new Engine.Context(new DiskEngineTest.NoSink(), new ManualClock(), CONFIG));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    /** A new String each time, as a JSON parser makes one per message. */
    private static String copy(String s) {
        return new String(s.toCharArray());
    }

    private List<Publication> held(String channel) {
        return engine.history(channel, StreamPosition.NONE, 1000).join().publications();
    }

    @Test
    void heldMessagesShareTheChannelNameAndEachEventName() {
        for (int i = 0; i < 30; i++) {
            String event = i % 3 == 0 ? "progress" : "host";
            Message.Builder b = Message.builder(copy("scan:1"), copy(event)).dataJson("{\"i\":" + i + "}");
            if (i % 3 == 0) {
                b.key(copy("progress")); // what a coalesce event gets at publish
            }
            Publication live = engine.publish(b.build()).join();
            assertThat(live.message().dataJson()).isEqualTo("{\"i\":" + i + "}");
        }
        List<Publication> held = held("scan:1");
        assertThat(held).hasSize(30);
        Publication first = held.get(0);
        Publication second = held.get(1);
        for (Publication p : held) {
            assertThat(p.channel()).isSameAs(first.channel());
            assertThat(p.event()).isSameAs(p.event().equals("progress") ? first.event() : second.event());
            p.message().key().ifPresent(k -> assertThat(k).isSameAs(first.event()));
        }
        assertThat(held).extracting(p -> p.message().dataJson()).startsWith("{\"i\":0}", "{\"i\":1}");
    }

    @Test
    void manyEventNamesStayCorrectPastTheSharedOnes() {
        for (int i = 0; i < 40; i++) {
            engine.publish(Message.builder(copy("many:1"), copy("e" + (i % 20))).build()).join();
        }
        assertThat(held("many:1")).extracting(Publication::event)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 40).mapToObj(i -> "e" + (i % 20)).toList());
        assertThat(held("many:1").get(0).event()).isSameAs(held("many:1").get(20).event());
    }

    @Test
    void retainedStateIsTheHeldMessage() {
        engine.publish(Message.builder(copy("r:1"), copy("theme")).dataJson("\"dark\"").build()).join();
        Publication retained = engine.retained("r:1").join().get(0);
        Publication inHistory = held("r:1").get(0);
        assertThat(retained).isEqualTo(inHistory);
        assertThat(retained.message()).isSameAs(inHistory.message());
    }
}
