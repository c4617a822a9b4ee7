package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OffsetLedgerTest {
    @Test
    void everyOffsetReceivedLeavesNoGap() {
        OffsetLedger l = new OffsetLedger();
        l.subscribed(0);
        for (long o = 1; o <= 5; o++) {
            l.message(o);
        }
        assertThat(l.received()).isEqualTo(5);
        assertThat(l.gaps()).isZero();
        assertThat(l.silentLost()).isZero();
        assertThat(l.tail(5)).isZero();
    }

    @Test
    void gapReportedByLagBeforeItIsNoLoss() {
        OffsetLedger l = new OffsetLedger();
        l.subscribed(0);
        l.message(1);
        l.lag(3);
        l.message(5);
        assertThat(l.gapOffsets()).isEqualTo(3);
        assertThat(l.silentLost()).isZero();
        assertThat(l.overReported()).isZero();
    }

    @Test
    void gapWithoutLagIsSilentLoss() {
        OffsetLedger l = new OffsetLedger();
        l.subscribed(10);
        l.message(11);
        l.message(15);
        l.message(16);
        assertThat(l.silentLost()).isEqualTo(3);
        assertThat(l.silentGaps()).isEqualTo(1);
        assertThat(l.firstSilentAfter()).isEqualTo(11);
    }

    @Test
    void lagSmallerThanItsGapLeavesTheRestSilent() {
        OffsetLedger l = new OffsetLedger();
        l.subscribed(0);
        l.lag(2);
        l.message(6);
        assertThat(l.gapOffsets()).isEqualTo(5);
        assertThat(l.silentLost()).isEqualTo(3);
    }

    @Test
    void firstMessagesMissingAfterSubscribedAreAGap() {
        OffsetLedger l = new OffsetLedger();
        l.subscribed(0);
        l.message(4);
        assertThat(l.silentLost()).isEqualTo(3);
    }

    @Test
    void lagCountCarriesOverToALaterGapAndExcessIsOverReported() {
        OffsetLedger l = new OffsetLedger();
        l.subscribed(0);
        l.lag(10);
        l.message(3); // 2 missing
        l.message(8); // 4 missing
        assertThat(l.silentLost()).isZero();
        assertThat(l.overReported()).isEqualTo(4);
        assertThat(l.skippedReported()).isEqualTo(10);
        assertThat(l.lagFrames()).isEqualTo(1);
    }

    @Test
    void repeatedOrOlderOffsetIsOutOfOrderAndNotReceived() {
        OffsetLedger l = new OffsetLedger();
        l.subscribed(0);
        l.message(1);
        l.message(2);
        l.message(2);
        l.message(1);
        assertThat(l.received()).isEqualTo(2);
        assertThat(l.outOfOrder()).isEqualTo(2);
    }

    @Test
    void offsetsAfterTheLastReceivedAreTheTailNotLoss() {
        OffsetLedger l = new OffsetLedger();
        l.subscribed(0);
        l.message(1);
        l.message(2);
        assertThat(l.tail(10)).isEqualTo(8);
        assertThat(l.silentLost()).isZero();
    }

    @Test
    void messageBeforeSubscribedStartsTheLedgerThere() {
        OffsetLedger l = new OffsetLedger();
        l.message(7);
        l.subscribed(3); // late: ignored
        l.message(8);
        assertThat(l.start()).isEqualTo(6);
        assertThat(l.received()).isEqualTo(2);
        assertThat(l.gaps()).isZero();
    }

    @Test
    void unsubscribedClientOwesNoTail() {
        assertThat(new OffsetLedger().tail(100)).isZero();
    }
}
