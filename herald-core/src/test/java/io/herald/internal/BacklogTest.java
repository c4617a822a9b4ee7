package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.herald.Message;
import io.herald.Publication;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A slow consumer's backlog: coalesce keyed, drop oldest plain past the bound, never critical. */
class BacklogTest {
    private long offset;

    private Encoded msg(String key, boolean critical, int size) {
        Message m = Message.builder("t:1", key == null ? "e" : key).key(key).critical(critical)
                .data(TextNode.valueOf("x".repeat(size))).build();
        return Encoded.of(new Publication(m, "e1", ++offset, 0));
    }

    @Test
    void keyedValuesCoalesceWhileWaiting() {
        Backlog b = new Backlog(1 << 20);
        b.add(msg("progress", false, 10), true);
        b.add(msg(null, false, 10), true);
        Encoded latest = msg("progress", false, 10);
        b.add(latest, true);
        assertThat(b.poll(50)).extracting(Encoded::offset).containsExactly(2L, latest.offset());
        assertThat(b.coalesced()).isEqualTo(1);
    }

    @Test
    void oldestPlainMessagesAreDroppedPastTheBoundAndCounted() {
        Backlog b = new Backlog(1024);
        Encoded critical = msg(null, true, 100);
        b.add(critical, true);
        for (int i = 0; i < 40; i++) {
            b.add(msg(null, false, 100), true);
        }
        assertThat(b.bytes()).isLessThanOrEqualTo(1024);
        long skipped = b.takeSkipped();
        assertThat(skipped).isPositive();
        List<Encoded> left = b.poll(100);
        assertThat(left.get(0)).isSameAs(critical);
        assertThat(left.get(left.size() - 1).offset()).isEqualTo(offset);
        assertThat(left.size() + skipped).isEqualTo(41);
        assertThat(b.takeSkipped()).isZero();
    }

    @Test
    void criticalMessagesAloneOverTheHardBoundFail() {
        Backlog b = new Backlog(1024);
        boolean ok = true;
        for (int i = 0; i < 100 && ok; i++) {
            ok = b.add(msg(null, true, 100), true);
        }
        assertThat(ok).isFalse();
        assertThat(b.takeSkipped()).isZero();
    }

    /** Random adds and partial drains: order kept, criticals and last key values kept, drops counted. */
    @Test
    void randomizedBacklogKeepsOrderAndAccountsForEveryMessage() {
        Random random = new Random(7);
        for (int run = 0; run < 200; run++) {
            Backlog b = new Backlog(512 + random.nextInt(4096));
            List<Long> out = new ArrayList<>();
            Set<Long> critical = new HashSet<>();
            Set<Long> plain = new HashSet<>();
            Map<String, Long> lastOfKey = new HashMap<>();
            long skipped = 0;
            for (int i = 0; i < 300; i++) {
                int kind = random.nextInt(10);
                Encoded e = kind == 0 ? msg(null, true, 20) : kind < 5 ? msg("k" + random.nextInt(3), false, 30)
                        : msg(null, false, 10 + random.nextInt(100));
                if (e.critical()) {
                    critical.add(e.offset());
                } else if (e.key() != null) {
                    lastOfKey.put(e.key(), e.offset());
                } else {
                    plain.add(e.offset());
                }
                assertThat(b.add(e, true)).isTrue();
                if (random.nextInt(8) == 0) {
                    skipped += b.takeSkipped();
                    b.poll(1 + random.nextInt(20)).forEach(m -> out.add(m.offset()));
                }
            }
            skipped += b.takeSkipped();
            b.poll(Integer.MAX_VALUE).forEach(m -> out.add(m.offset()));
            for (int i = 1; i < out.size(); i++) {
                assertThat(out.get(i)).isGreaterThan(out.get(i - 1));
            }
            assertThat(out).containsAll(critical).containsAll(lastOfKey.values());
            long plainDelivered = out.stream().filter(plain::contains).count();
            assertThat(plainDelivered + skipped).isEqualTo(plain.size());
            assertThat(b.isEmpty()).isTrue();
        }
    }
}
