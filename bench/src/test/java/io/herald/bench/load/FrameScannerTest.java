package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameScannerTest {
    private final List<long[]> found = new ArrayList<>();

    private FrameScanner.Kind scan(String frame) {
        byte[] b = frame.getBytes(StandardCharsets.UTF_8);
        return FrameScanner.scan(b, b.length, (t, s) -> found.add(new long[] {t, s}));
    }

    @Test
    void readsEveryMessageOfAHeraldBatch() {
        String batch = "{\"type\":\"batch\",\"channel\":\"fanout\",\"messages\":["
                + "{\"event\":\"tick\",\"offset\":1,\"ts\":1700000000000,\"data\":{\"t\":123,\"s\":2,\"pad\":\"xx\"}},"
                + "{\"event\":\"tick\",\"offset\":2,\"ts\":1700000000001,\"data\":{\"t\":456,\"s\":3,\"pad\":\"xx\"}}]}";

        assertThat(scan(batch)).isEqualTo(FrameScanner.Kind.MESSAGES);
        assertThat(found).containsExactly(new long[] {123, 2}, new long[] {456, 3});
    }

    @Test
    void readsAMessageFrameWithSpacesAndASocketIoPacket() {
        assertThat(scan("{\"type\":\"message\",\"ts\":99,\"data\":{\"t\" : 77, \"s\": 1}}")).isEqualTo(FrameScanner.Kind.MESSAGES);
        assertThat(scan("42[\"message\",{\"type\":\"message\",\"data\":{\"t\":88,\"s\":4,\"pad\":\"x\"}}]"))
                .isEqualTo(FrameScanner.Kind.MESSAGES);

        assertThat(found).containsExactly(new long[] {77, 1}, new long[] {88, 4});
    }

    @Test
    void doesNotTakeTheServerTimestampForThePublishersOne() {
        assertThat(scan("{\"type\":\"message\",\"ts\":1700000000000,\"data\":{}}")).isEqualTo(FrameScanner.Kind.OTHER);
        assertThat(found).isEmpty();
    }

    @Test
    void recognisesControlFrames() {
        assertThat(scan("{\"type\":\"ping\"}")).isEqualTo(FrameScanner.Kind.PING);
        assertThat(scan("{\"type\":\"subscribed\",\"channel\":\"c\",\"epoch\":\"e\",\"offset\":0}")).isEqualTo(FrameScanner.Kind.SUBSCRIBED);
        assertThat(scan("{\"type\":\"lag\",\"channel\":\"c\",\"skipped\":3}")).isEqualTo(FrameScanner.Kind.LAG);
        assertThat(scan("0{\"sid\":\"abc\",\"pingInterval\":25000}")).isEqualTo(FrameScanner.Kind.EIO_OPEN);
        assertThat(scan("2")).isEqualTo(FrameScanner.Kind.EIO_PING);
        assertThat(scan("{\"type\":\"welcome\",\"connectionId\":\"x\"}")).isEqualTo(FrameScanner.Kind.OTHER);
    }

    @Test
    void publishedDataIsExactlyOneHundredBytesAndScansBack() {
        byte[] body = PublishStep.body("fanout", 7, 123456789012345L);
        String json = new String(body, StandardCharsets.UTF_8);
        String data = json.substring(json.indexOf("\"data\":") + 7, json.length() - 1);

        assertThat(data).hasSize(PublishStep.DATA_BYTES);
        assertThat(scan(json)).isEqualTo(FrameScanner.Kind.MESSAGES);
        assertThat(found).containsExactly(new long[] {123456789012345L, 7});
    }

    @Test
    void findsEveryMessageWhateverBytesSurroundIt() {
        java.util.Random random = new java.util.Random(42);
        String alphabet = "ab\"t:{},[]s0123456789 x";
        for (int round = 0; round < 500; round++) {
            found.clear();
            StringBuilder frame = new StringBuilder();
            List<long[]> expected = new ArrayList<>();
            int messages = random.nextInt(5);
            for (int m = 0; m < messages; m++) {
                for (int k = random.nextInt(12); k > 0; k--) {
                    char c = alphabet.charAt(random.nextInt(alphabet.length()));
                    frame.append(c == '"' || c == 't' ? 'q' : c); // filler never forms "t" or "s" itself
                }
                long t = random.nextInt(1_000_000);
                int step = random.nextInt(60);
                // the publisher's data is always DATA_BYTES long (the scanner skips its padding), as a
                // whole publish request or inside another envelope
                String body = new String(PublishStep.body("c", step, t), StandardCharsets.UTF_8);
                frame.append(random.nextBoolean() ? body : body.substring(body.indexOf("\"data\":") + 7, body.length() - 1));
                expected.add(new long[] {t, step});
            }
            scan(frame.toString());
            assertThat(found).as(frame.toString()).containsExactlyElementsOf(expected);
        }
    }
}
