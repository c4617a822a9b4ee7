package io.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
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
}
