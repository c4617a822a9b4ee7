package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.CloseCodes;
import io.herald.ErrorCode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The browser client mirrors the server's error codes and close codes ({@code clients/js/src/codes.ts});
 * this fails when the two lists drift apart.
 */
class ClientCodesTest {
    private static final Path CODES = Path.of("..", "clients", "js", "src", "codes.ts");
    private static String source;

    @BeforeAll
    static void readTheClientsCodes() throws Exception {
        source = Files.readString(CODES);
    }

    /** The body of {@code export const name = <open>…<close>} in the TypeScript source. */
    private static String body(String name, char open, char close) {
        int start = source.indexOf("export const " + name + " = " + open);
        assertThat(start).as("%s declares %s", CODES, name).isNotNegative();
        int from = source.indexOf(open, start) + 1;
        return source.substring(from, source.indexOf(close, from));
    }

    @Test
    void theClientHasEveryErrorCodeOfTheServerInItsOrder() {
        Matcher m = Pattern.compile("'([a-z_]+)'").matcher(body("ErrorCodes", '[', ']'));
        List<String> client = m.results().map(r -> r.group(1)).toList();
        List<String> server = Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList();
        assertThat(client).as("ErrorCodes in %s against io.herald.ErrorCode", CODES).isEqualTo(server);
    }

    @Test
    void theClientHasEveryCloseCodeOfTheServerWithItsValue() throws Exception {
        Map<String, Integer> client = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([A-Z_]+):\\s*(\\d+)").matcher(body("CloseCodes", '{', '}'));
        while (m.find()) {
            client.put(m.group(1), Integer.valueOf(m.group(2)));
        }
        Map<String, Integer> server = new LinkedHashMap<>();
        for (Field f : CloseCodes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                server.put(f.getName(), f.getInt(null));
            }
        }
        assertThat(server).isNotEmpty();
        assertThat(client).as("CloseCodes in %s against io.herald.CloseCodes", CODES).isEqualTo(server);
    }
}
