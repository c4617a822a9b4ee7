package io.herald.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.Json;
import io.herald.Message;
import io.herald.Publication;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fan-out's element encoder writes what {@link Json#writePublication}, the one shape of a
 * message, writes: the same bytes, but for a character outside the BMP in an event or key name,
 * which Jackson's generator escapes as a surrogate pair and the element keeps as UTF-8 (the same
 * JSON).
 */
class FramesTest {
    private static final String CHARS = "aZ09:_-\"\\/\n\t\r\b\f\u0001\u001f\u007f é€\u2028😀";

    private static String writePublication(Publication p) {
        ByteBuf buf = Json.encode(UnpooledByteBufAllocator.DEFAULT, 64, g -> Json.writePublication(g, p));
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    private static void assertSame(Publication p) throws Exception {
        String element = new String(Frames.element(p), StandardCharsets.UTF_8);
        String expected = writePublication(p);
        assertThat(Json.MAPPER.readTree(element)).isEqualTo(Json.MAPPER.readTree(expected));
        if ((p.event() + p.message().key().orElse("")).codePoints().allMatch(Character::isBmpCodePoint)) {
            assertThat(element).isEqualTo(expected);
        }
        assertThat(Json.MAPPER.readTree(element.getBytes(StandardCharsets.UTF_8)).path("data"))
                .as("data survives the round trip").isEqualTo(p.message().data());
    }

    private static Publication publication(String event, String key, String dataJson, long offset, long ts) {
        return new Publication(Message.builder("c:1", event).key(key).dataJson(dataJson).build(), "ep", offset, ts);
    }

    @Test
    void elementIsWhatWritePublicationWritesForEveryShape() throws Exception {
        assertSame(publication("e", null, null, 1, 0));
        assertSame(publication("progress", "progress", "{\"pct\":5}", 9, 10));
        assertSame(publication("a\"b\\c/d\ne\u0001f", "k\t\"é😀", "\"\\u0000 é \\\"q\\\" \\n\"", 10, 99));
        assertSame(publication("x", null, "[1,-2.5,1e300,true,false,null,{},[],{\"a\":{\"b\":[\"c\"]}}]", 123_456_789, 1_796_028_504_311L));
        assertSame(publication("x", null, "12345678901234567890123", Long.MAX_VALUE, -1));
        assertSame(new Publication(Message.builder("c:1", "e").build(), "ep", 100, Long.MIN_VALUE));
    }

    @Test
    void elementIsWhatWritePublicationWritesForRandomNamesAndNumbers() throws Exception {
        Random random = new Random(12);
        for (int i = 0; i < 2000; i++) {
            String event = randomName(random);
            String key = random.nextBoolean() ? randomName(random) : null;
            String text = Json.toString(randomName(random));
            long offset = random.nextInt(4) == 0 ? random.nextLong() >>> 1 : random.nextInt(1000) + 1;
            assertSame(publication(event, key, "{\"v\":" + text + "}", offset, random.nextLong() >>> random.nextInt(64)));
        }
    }

    private static String randomName(Random random) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(CHARS.codePointAt(CHARS.offsetByCodePoints(0, random.nextInt(CHARS.codePointCount(0, CHARS.length())))));
        }
        return sb.toString();
    }
}
