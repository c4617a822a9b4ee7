package io.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTest {

    @Test
    void buildsWithDefaults() {
        Message m = Message.of("scan:1", "progress", IntNode.valueOf(5));
        assertThat(m.key()).isEmpty();
        assertThat(m.critical()).isFalse();
        assertThat(m.finalMessage()).isFalse();
        assertThat(m.data().intValue()).isEqualTo(5);
    }

    @Test
    void missingDataIsJsonNull() {
        assertThat(Message.builder("scan:1", "e").build().data().isNull()).isTrue();
    }

    @Test
    void rejectsInvalidChannelEventAndKey() {
        assertThatThrownBy(() -> Message.of("bad channel", "e", null)).isInstanceOf(HeraldException.class);
        assertThatThrownBy(() -> Message.of("a:1", "", null)).hasMessageContaining("event");
        assertThatThrownBy(() -> Message.of("a:1", null, null)).hasMessageContaining("event");
        assertThatThrownBy(() -> Message.builder("a:1", "e").key("").build()).hasMessageContaining("key");
    }

    @Test
    void toBuilderCopiesEverything() {
        Message m = Message.builder("a:1", "e").key("k").critical(true).finalMessage(true).build();
        assertThat(m.toBuilder().build()).isEqualTo(m);
    }

    @Test
    void keepsDataAsCompactJsonTextAndParsesATreeOnDemand() {
        ObjectNode tree = Json.MAPPER.createObjectNode().put("pct", 5);
        tree.putArray("hosts").add("10.0.0.7").add("é ✓");
        Message m = Message.of("scan:1", "progress", tree);
        tree.put("pct", 6); // encoded when given: later changes to the tree do not count
        assertThat(m.dataJson()).isEqualTo("{\"pct\":5,\"hosts\":[\"10.0.0.7\",\"é ✓\"]}");
        assertThat(m.dataLength()).isEqualTo(m.dataJson().getBytes(StandardCharsets.UTF_8).length);
        assertThat(m.data().path("pct").intValue()).isEqualTo(5);
        assertThat(m.data()).as("a new tree each call").isNotSameAs(m.data()).isEqualTo(m.data());
    }

    @Test
    void dataJsonIsCheckedAndCompacted() {
        Message m = Message.builder("a:1", "e").dataJson(" { \"a\" : [ 1 , 2.5 , null ] ,\n \"b\" : \"x y\" } ").build();
        assertThat(m.dataJson()).isEqualTo("{\"a\":[1,2.5,null],\"b\":\"x y\"}");
        assertThat(m).isEqualTo(Message.builder("a:1", "e").data(m.data()).build());
        for (String bad : new String[] {"", "  ", "{", "{\"a\":}", "1 2", "{} x", "'a'", "[1,]"}) {
            assertThatThrownBy(() -> Message.builder("a:1", "e").dataJson(bad))
                    .as(bad).isInstanceOf(HeraldException.class).hasMessageContaining("data is not JSON")
                    .extracting(e -> ((HeraldException) e).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        }
    }

    @Test
    void writeDataCopiesTheTextIntoAFrame() {
        Message m = Message.builder("a:1", "e").dataJson("{\"k\":\"ü\"}").key("k").build();
        Publication p = new Publication(m, "ep", 7, 42);
        ByteBuf buf = Json.encode(UnpooledByteBufAllocator.DEFAULT, 64, g -> Json.writePublication(g, p));
        try {
            assertThat(buf.toString(StandardCharsets.UTF_8))
                    .isEqualTo("{\"event\":\"e\",\"offset\":7,\"ts\":42,\"key\":\"k\",\"data\":{\"k\":\"ü\"}}");
        } finally {
            buf.release();
        }
        assertThat(Json.toString(Map.of("messages", java.util.List.of(Json.publicationValue(p)))))
                .isEqualTo("{\"messages\":[{\"event\":\"e\",\"offset\":7,\"ts\":42,\"key\":\"k\",\"data\":{\"k\":\"ü\"}}]}");
    }

    @Test
    void aCopyToAnotherChannelSharesTheData() {
        Message m = Message.builder("a:1", "e").dataJson("{\"x\":1}").key("k").critical(true).build();
        Message copy = m.toBuilder().channel("b:2").event("f").build();
        assertThat(copy.channel()).isEqualTo("b:2");
        assertThat(copy.event()).isEqualTo("f");
        assertThat(copy.dataJson()).isEqualTo("{\"x\":1}");
        assertThat(copy.key()).contains("k");
        assertThat(copy.critical()).isTrue();
        assertThatThrownBy(() -> m.toBuilder().channel("bad channel").build()).isInstanceOf(HeraldException.class);
    }
}
