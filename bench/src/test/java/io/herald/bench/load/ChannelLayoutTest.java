package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChannelLayoutTest {
    /** How many of {@code count} messages numbered from {@code first} each channel gets, one by one as the publisher sends them. */
    private static long[] messagesPerChannel(ChannelLayout layout, long first, long count) {
        long[] out = new long[layout.channels()];
        for (long j = first; j < first + count; j++) {
            out[layout.channelOf(j)]++;
        }
        return out;
    }

    @Test
    void subscriberAndMessageGoToTheirIndexModuloTheChannels() {
        ChannelLayout layout = new ChannelLayout(1000);

        assertThat(layout.channelOf(0)).isZero();
        assertThat(layout.channelOf(999)).isEqualTo(999);
        assertThat(layout.channelOf(1000)).isZero();
        assertThat(layout.channelOf(12_345)).isEqualTo(345);
        assertThat(new ChannelLayout(1).channelOf(9_999)).isZero();
        assertThatThrownBy(() -> layout.channelOf(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChannelLayout(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void processesWithGlobalOffsetsTogetherFillEveryChannelAsOneProcessWould() {
        // run.sh: 25 subscribers in 3 processes of ceil(25/3) = 9, 9 and 7, starting at 0, 9 and 18
        ChannelLayout layout = new ChannelLayout(10);
        long[] seen = new long[10];
        int perProcess = 9;
        for (int p = 0; p < 3; p++) {
            int n = Math.min(perProcess, 25 - p * perProcess);
            for (int i = 0; i < n; i++) {
                seen[layout.channelOf((long) p * perProcess + i)]++;
            }
        }

        assertThat(seen).containsExactly(3, 3, 3, 3, 3, 2, 2, 2, 2, 2);
        assertThat(layout.subscribersPerChannel(25)).containsExactly(seen);
    }

    @Test
    void subscribersPerChannelWhenTheyDivideEvenlyOrNot() {
        assertThat(new ChannelLayout(1000).subscribersPerChannel(10_000)).containsOnly(10);
        assertThat(Arrays.stream(new ChannelLayout(1000).subscribersPerChannel(10_001)).sum()).isEqualTo(10_001);
        assertThat(new ChannelLayout(1000).subscribers(10_001, 0)).isEqualTo(11);
        assertThat(new ChannelLayout(1000).subscribers(10_001, 1)).isEqualTo(10);
        assertThat(new ChannelLayout(4).subscribersPerChannel(3)).containsExactly(1, 1, 1, 0);
    }

    @Test
    void expectedDeliveriesCountEachMessageForTheSubscribersOfItsChannel() {
        ChannelLayout layout = new ChannelLayout(10);
        long[] subscribers = layout.subscribersPerChannel(25); // 3 on channels 0-4, 2 on 5-9

        // messages 0-12: channels 0-9 once (25 deliveries), then 0, 1, 2 again (3 × 3)
        assertThat(ChannelLayout.expected(messagesPerChannel(layout, 0, 13), subscribers)).isEqualTo(34);
        // messages 5-7: channels 5, 6, 7, with 2 subscribers each
        assertThat(ChannelLayout.expected(messagesPerChannel(layout, 5, 3), subscribers)).isEqualTo(6);
        // one channel: published × subscribers, as fanout always counted
        assertThat(ChannelLayout.expected(new long[] {70}, new long[] {10_000})).isEqualTo(700_000);
        assertThatThrownBy(() -> ChannelLayout.expected(new long[2], new long[3])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void templatesGetTheChannelNumber() {
        ChannelLayout layout = new ChannelLayout(1000);
        String ws = "ws://127.0.0.1:18800/ws/ch-{c}";
        String socketIo = "ws://127.0.0.1:18800/socket.io/?EIO=4&transport=websocket&channel=ch-{c}";

        assertThat(ChannelLayout.fill(layout.check(ws, "--url"), 42)).isEqualTo("ws://127.0.0.1:18800/ws/ch-42");
        URI u = URI.create(ChannelLayout.fill(layout.check(socketIo, "--url"), 999));
        assertThat(u.getPath()).isEqualTo("/socket.io/");
        assertThat(u.getQuery()).isEqualTo("EIO=4&transport=websocket&channel=ch-999");
        assertThat(ChannelLayout.fill("ch-{c}", 7)).isEqualTo("ch-7");
        // fanout: one channel, a URL without the placeholder stays as it is
        assertThat(ChannelLayout.fill(new ChannelLayout(1).check("ws://h:1/ws/fanout", "--url"), 0)).isEqualTo("ws://h:1/ws/fanout");
        assertThatThrownBy(() -> layout.check("ws://h:1/ws/fanout", "--url"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{c}");
    }
}
