package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OffsetScannerTest {
    private final List<Long> found = new ArrayList<>();

    @Test
    void batchGivesEveryOffsetInOrder() {
        byte[] b = bytes("{\"type\":\"batch\",\"channel\":\"overload\",\"messages\":["
                + "{\"event\":\"tick\",\"offset\":41,\"ts\":1,\"data\":{\"pad\":\"offsetoffset\"}},"
                + "{\"event\":\"tick\",\"offset\":42,\"ts\":2,\"data\":{\"pad\":\"\\\"offset\\\"\"}},"
                + "{\"event\":\"tick\",\"offset\":1000000,\"ts\":3,\"data\":{}}]}");
        assertThat(OffsetScanner.type(b, b.length)).isEqualTo(OffsetScanner.Type.MESSAGES);
        assertThat(OffsetScanner.offsets(b, b.length, found::add)).isEqualTo(3);
        assertThat(found).containsExactly(41L, 42L, 1_000_000L);
    }

    @Test
    void singleMessageGivesItsOffset() {
        byte[] b = bytes("{\"type\":\"message\",\"channel\":\"overload\",\"event\":\"tick\",\"offset\":7,\"ts\":9,\"data\":{}}");
        assertThat(OffsetScanner.type(b, b.length)).isEqualTo(OffsetScanner.Type.MESSAGES);
        OffsetScanner.offsets(b, b.length, found::add);
        assertThat(found).containsExactly(7L);
    }

    @Test
    void onlyTheGivenLengthIsRead() {
        byte[] b = bytes("{\"type\":\"message\",\"offset\":7}{\"type\":\"message\",\"offset\":8}");
        OffsetScanner.offsets(b, b.length / 2, found::add);
        assertThat(found).containsExactly(7L);
    }

    @Test
    void lagGivesItsSkippedCount() {
        byte[] b = bytes("{\"type\":\"lag\",\"channel\":\"overload\",\"skipped\":1234}");
        assertThat(OffsetScanner.type(b, b.length)).isEqualTo(OffsetScanner.Type.LAG);
        assertThat(OffsetScanner.skipped(b, b.length)).isEqualTo(1234);
    }

    @Test
    void subscribedGivesItsPosition() {
        byte[] b = bytes("{\"type\":\"subscribed\",\"channel\":\"overload\",\"epoch\":\"e1\",\"offset\":12,\"recovered\":false}");
        assertThat(OffsetScanner.type(b, b.length)).isEqualTo(OffsetScanner.Type.SUBSCRIBED);
        assertThat(OffsetScanner.firstOffset(b, b.length)).isEqualTo(12);
    }

    @Test
    void pingAndOthersAreTold() {
        byte[] ping = bytes("{\"type\":\"ping\"}");
        byte[] welcome = bytes("{\"type\":\"welcome\",\"connectionId\":\"c\"}");
        byte[] notJson = bytes("2");
        assertThat(OffsetScanner.type(ping, ping.length)).isEqualTo(OffsetScanner.Type.PING);
        assertThat(OffsetScanner.type(welcome, welcome.length)).isEqualTo(OffsetScanner.Type.OTHER);
        assertThat(OffsetScanner.type(notJson, notJson.length)).isEqualTo(OffsetScanner.Type.OTHER);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
