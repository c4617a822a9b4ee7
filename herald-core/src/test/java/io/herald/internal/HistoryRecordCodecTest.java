package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.Message;
import io.herald.Publication;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history file's record and publication formats: what is written reads back the same, and format 1 still reads. */
class HistoryRecordCodecTest {
    private final RecordBuffer buffer = new RecordBuffer();

    private static Publication publication(Message m, long offset) {
        return new Publication(m, "ep7", offset, 1_700_000_000_000L + offset);
    }

    private static HistoryRecord record(String channel, List<Publication> publications) {
        long last = publications.isEmpty() ? 41 : publications.get(publications.size() - 1).offset();
        return new HistoryRecord(channel, "ep7", last, publications.isEmpty() ? last + 1 : publications.get(0).offset(),
                1_700_000_000_999L, 1_700_000_000_123L, publications);
    }

    /** One of each: plain, keyed, critical, final, every kind of JSON value, offsets far apart. */
    private static List<Publication> everyKind(String channel) {
        return List.of(
                publication(Message.builder(channel, "plain").build(), 1),
                publication(Message.builder(channel, "keyed").dataJson("{\"pct\":5,\"stage\":\"scan\"}").key("progress").build(), 2),
                publication(Message.builder(channel, "alert").dataJson("[1,2.5,true,null,\"x\"]").critical(true).build(), 3),
                publication(Message.builder(channel, "done").dataJson("\"finished\"").finalMessage(true).critical(true)
                        .key("state").build(), 4),
                publication(Message.builder(channel, "n").dataJson("-12.5e3").build(), Long.MAX_VALUE - 1));
    }

    @Test
    void everyFieldOfARecordAndItsPublicationsReadsBackTheSame() {
        HistoryRecord r = record("scan:42", everyKind("scan:42"));

        HistoryRecord back = HistoryRecord.decode(r.encode(buffer));

        assertThat(back).isEqualTo(r);
        assertThat(back.publications()).extracting(p -> p.message().key().orElse(null))
                .containsExactly(null, "progress", null, "state", null);
        assertThat(back.lastPublished()).isEqualTo(Long.MAX_VALUE - 1);
    }

    @Test
    void aRecordWithoutPublicationsKeepsTheStreamsState() {
        HistoryRecord r = record("hist:empty", List.of());

        HistoryRecord back = HistoryRecord.decode(r.encode(buffer));

        assertThat(back).isEqualTo(r);
        assertThat(back.lastPublished()).isZero();
    }

    @Test
    void unicodeInEventsKeysDataAndEpochsReadsBackTheSame() {
        Message m = Message.builder("intl:1", "progrès ✓ 🚀").key("clé-🔑")
                .dataJson("{\"text\":\"日本語 🎉 \\\"quoted\\\" \\u0000 é\"}").build();
        Publication p = new Publication(m, "époque-∞", 9, 12);
        HistoryRecord r = new HistoryRecord("intl:1", "époque-∞", 9, 9, 0, 12, List.of(p));

        HistoryRecord back = HistoryRecord.decode(r.encode(buffer));

        assertThat(back).isEqualTo(r);
        assertThat(back.publications().get(0).message().dataJson()).isEqualTo(m.dataJson());
        assertThat(PublicationCodec.decode("intl:1", PublicationCodec.encodeAlone(p, buffer))).isEqualTo(p);
    }

    @Test
    void largeDataReadsBackTheSameAndTheBufferServesTheNextRecordAlone() {
        String big = "{\"blob\":\"" + "ü".repeat(600_000) + "\",\"n\":[" + "1,".repeat(100_000) + "2]}";
        HistoryRecord large = record("big:1", List.of(publication(Message.builder("big:1", "blob").dataJson(big).build(), 1)));
        HistoryRecord small = record("big:1", List.of(publication(Message.builder("big:1", "tiny").build(), 2)));

        byte[] first = large.encode(buffer);
        byte[] second = small.encode(buffer);

        assertThat(first.length).isGreaterThan(1_400_000);
        assertThat(HistoryRecord.decode(first)).isEqualTo(large);
        assertThat(HistoryRecord.decode(second)).isEqualTo(small);
    }

    @Test
    void aRecordOfFormatOneIsStillRead() {
        HistoryRecord r = record("scan:old", everyKind("scan:old"));

        assertThat(HistoryRecord.decode(FormatOne.record(r))).isEqualTo(r);
        assertThat(HistoryRecord.decode(FormatOne.record(record("scan:old", List.of())))).isEqualTo(record("scan:old", List.of()));
    }

    @Test
    void aRetainedEntryOfEitherFormatIsRead() {
        for (Publication p : everyKind("ret:s")) {
            assertThat(PublicationCodec.decode("ret:s", PublicationCodec.encodeAlone(p, buffer))).isEqualTo(p);
            assertThat(PublicationCodec.decode("ret:s", FormatOne.publication(p))).isEqualTo(p);
        }
    }

    @Test
    void formatTwoIsSmallerThanFormatOne() {
        HistoryRecord r = record("scan:42", everyKind("scan:42"));

        assertThat(r.encode(buffer).length).isLessThan(FormatOne.record(r).length);
    }

    @Test
    void aDamagedRecordOrEntryFailsAsUnreadable() {
        byte[] good = record("scan:42", everyKind("scan:42")).encode(buffer);
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        byte[] unknownVersion = good.clone();
        unknownVersion[3] = -9;
        byte[] badData = record("scan:42", List.of(publication(Message.builder("scan:42", "e").dataJson("[1]").build(), 1)))
                .encode(buffer);
        badData[badData.length - 2] = '{'; // the data "[1]" becomes "[{]"
        byte[] entry = PublicationCodec.encodeAlone(publication(Message.builder("ret:s", "e").build(), 1), buffer);

        for (byte[] damaged : List.of(truncated, unknownVersion, badData, new byte[0], new byte[] {0, 0, 0, 4, 'a'})) {
            assertThatThrownBy(() -> HistoryRecord.decode(damaged)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("unreadable history record");
        }
        assertThatThrownBy(() -> PublicationCodec.decode("ret:s", Arrays.copyOf(entry, entry.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unreadable publication of channel 'ret:s'");
        assertThatThrownBy(() -> PublicationCodec.decode("ret:s", Arrays.copyOf(entry, entry.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after its end");
    }
}
