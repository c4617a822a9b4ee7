package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.herald.Message;
import io.herald.Publication;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The frames a feed queues behind a pass: bounded, oldest plain dropped and counted, critical and keyed kept. */
class FeedQueueTest {
    private long offset;

    /** A message with {@code size} characters of data; elements of offsets of equal length have equal size. */
    private Encoded msg(String key, boolean critical, int size) {
        Message m = Message.builder("t:1", key == null ? "e" : key).key(key).critical(critical)
                .data(TextNode.valueOf("x".repeat(size))).build();
        return Encoded.of(new Publication(m, "e1", ++offset, 0));
    }

    private List<Encoded> frame(int n, int size) {
        List<Encoded> f = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            f.add(msg(null, false, size));
        }
        return f;
    }

    private static List<Long> offsets(FeedQueue q) {
        List<Long> out = new ArrayList<>();
        for (List<Encoded> f = q.poll(); f != null; f = q.poll()) {
            f.forEach(m -> out.add(m.offset()));
        }
        return out;
    }

    @Test
    void underTheBoundEveryFrameWaitsInOrder() {
        FeedQueue q = new FeedQueue(1 << 20);
        q.add(frame(3, 10));
        q.add(frame(2, 10));
        assertThat(q.hasSkipped()).isFalse();
        assertThat(offsets(q)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(q.bytes()).isZero();
    }

    @Test
    void pastTheBoundTheOldestPlainMessagesAreDroppedAndCounted() {
        offset = 99; // offsets of three digits: every element the same size
        int size = msg(null, false, 100).element().length;
        offset = 99;
        FeedQueue q = new FeedQueue(size * 10L);
        for (int i = 0; i < 5; i++) {
            assertThat(q.add(frame(4, 100))).isTrue(); // 20 messages, room for 10
        }
        FeedQueue.Skipped skipped = q.takeSkipped();
        assertThat(skipped.count()).isEqualTo(10);
        assertThat(skipped.upTo()).isEqualTo(109);
        assertThat(offsets(q)).containsExactly(110L, 111L, 112L, 113L, 114L, 115L, 116L, 117L, 118L, 119L);
        assertThat(q.takeSkipped()).isEqualTo(FeedQueue.Skipped.NONE);
    }

    @Test
    void criticalAndKeyedMessagesAreNeverDropped() {
        int size = msg(null, false, 100).element().length;
        offset = 0;
        FeedQueue q = new FeedQueue(size * 3L + 50);
        q.add(List.of(msg(null, true, 100), msg(null, false, 100), msg("progress", false, 100)));
        q.add(List.of(msg(null, false, 100), msg(null, true, 100)));
        assertThat(offsets(q)).containsExactly(1L, 3L, 5L);
        assertThat(q.takeSkipped().count()).isEqualTo(2);
    }

    @Test
    void whatCannotBeDroppedPastTheHardBoundIsReported() {
        int size = msg(null, true, 100).element().length;
        offset = 0;
        FeedQueue q = new FeedQueue(size * 2L);
        boolean ok = true;
        for (int i = 0; i < Backlog.HARD_BOUND_FACTOR * 2 && ok; i++) {
            ok = q.add(List.of(msg(null, true, 100)));
        }
        assertThat(ok).isTrue();
        assertThat(q.add(List.of(msg(null, true, 100)))).isFalse();
    }

    @Test
    void aMemberThatJoinedAfterTheDropsMissedNone() {
        FeedQueue.Skipped s = new FeedQueue.Skipped(7, 40);
        assertThat(s.forMember(0)).isEqualTo(7);
        assertThat(s.forMember(39)).isEqualTo(7);
        assertThat(s.forMember(40)).isZero();
        assertThat(s.forMember(100)).isZero();
    }
}
