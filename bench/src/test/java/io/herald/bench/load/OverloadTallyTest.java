package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OverloadTallyTest {
    @Test
    void slowClientsAreSpreadEvenly() {
        List<OverloadClient.Kind> kinds = IntStream.range(0, 8).mapToObj(i -> OverloadPool.kindOf(i, 8, 2)).toList();
        assertThat(kinds).filteredOn(k -> k == OverloadClient.Kind.SLOW).hasSize(2);
        assertThat(kinds.subList(0, 4)).contains(OverloadClient.Kind.SLOW);
        assertThat(kinds.subList(4, 8)).contains(OverloadClient.Kind.SLOW);
        assertThat(IntStream.range(0, 10).mapToObj(i -> OverloadPool.kindOf(i, 10, 0))).containsOnly(OverloadClient.Kind.FAST);
        assertThat(IntStream.range(0, 10).mapToObj(i -> OverloadPool.kindOf(i, 10, 10))).containsOnly(OverloadClient.Kind.SLOW);
    }

    @Test
    void tallyCountsClosesLossAndWhatIsStillOwedPerClass() {
        List<OverloadClient.Result> results = List.of(
                result(0, OverloadClient.Kind.FAST, -1, 100, 100, 0, 0),
                result(1, OverloadClient.Kind.SLOW, 4002, 40, 30, 50, 5),
                result(2, OverloadClient.Kind.SLOW, OverloadClient.ABNORMAL_CLOSE, 60, 60, 0, 0),
                result(3, OverloadClient.Kind.SLOW, -1, 90, 80, 10, 0),
                result(4, OverloadClient.Kind.SLOW, 1011, 10, 10, 0, 0));
        OverloadTally slow = OverloadTally.of(OverloadClient.Kind.SLOW, results, 100);
        assertThat(slow.clients()).isEqualTo(4);
        assertThat(slow.closes(4002)).isEqualTo(1);
        assertThat(slow.closes(OverloadClient.ABNORMAL_CLOSE)).isEqualTo(1);
        assertThat(slow.otherCloses()).isEqualTo(1);
        assertThat(slow.stillOpen()).isEqualTo(1);
        assertThat(slow.behindAtEnd()).isEqualTo(1);
        assertThat(slow.tailOffsets()).isEqualTo(10);
        assertThat(slow.received()).isEqualTo(180);
        assertThat(slow.minReceived()).isEqualTo(10);
        assertThat(slow.skipped()).isEqualTo(60);
        assertThat(slow.silentLost()).isEqualTo(5);
        assertThat(slow.silentClients()).isEqualTo(1);
        OverloadTally fast = OverloadTally.of(OverloadClient.Kind.FAST, results, 100);
        assertThat(fast.clients()).isEqualTo(1);
        assertThat(fast.behindAtEnd()).isZero();
    }

    private static OverloadClient.Result result(int index, OverloadClient.Kind kind, int closeCode, long last, long received,
                                                long skipped, long silent) {
        return new OverloadClient.Result(index, kind, true, closeCode, false, closeCode < 0 ? -1 : 1000, 10, 1, 0, last,
                received, 0, skipped > 0 ? 1 : 0, skipped, skipped + silent > 0 ? 1 : 0, skipped + silent, silent,
                silent > 0 ? 1 : 0, silent > 0 ? 3 : -1, 0);
    }
}
