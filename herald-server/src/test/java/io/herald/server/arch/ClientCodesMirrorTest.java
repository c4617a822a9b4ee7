package io.herald.server.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Java client mirrors the server's one list of error codes and close codes (it depends on no
 * server module, so it keeps a copy): this fails when the two drift apart. Only the client's own
 * additions, which no server sends, are allowed on its side.
 */
class ClientCodesMirrorTest {
    /** {@code ErrorCode.UNKNOWN}: a code a newer server may send that this client does not know. */
    private static final Set<String> CLIENT_ONLY_ERROR_CODES = Set.of("unknown");
    /** {@code CloseCodes.ABNORMAL} (1006): a connection that ended without a close frame, never sent (RFC 6455 §7.4.1). */
    private static final Set<String> CLIENT_ONLY_CLOSE_CODES = Set.of("ABNORMAL");

    @Test
    void errorCodesAreTheServersWithTheSameWireNames() {
        Map<String, String> server = Arrays.stream(io.herald.ErrorCode.values())
                .collect(Collectors.toMap(Enum::name, io.herald.ErrorCode::wire, (a, b) -> a, TreeMap::new));
        Map<String, String> client = Arrays.stream(io.herald.client.ErrorCode.values())
                .filter(c -> !CLIENT_ONLY_ERROR_CODES.contains(c.wire()))
                .collect(Collectors.toMap(Enum::name, io.herald.client.ErrorCode::wire, (a, b) -> a, TreeMap::new));
        assertThat(client).isEqualTo(server);
        for (io.herald.ErrorCode c : io.herald.ErrorCode.values()) {
            assertThat(io.herald.client.ErrorCode.fromWire(c.wire()).name()).isEqualTo(c.name());
        }
    }

    @Test
    void closeCodesAreTheServersWithTheSameValues() throws IllegalAccessException {
        Map<String, Integer> client = constants(io.herald.client.CloseCodes.class);
        CLIENT_ONLY_CLOSE_CODES.forEach(client::remove);
        assertThat(client).isEqualTo(constants(io.herald.CloseCodes.class));
    }

    @Test
    void theClientsOwnCloseCodeIsNoneTheServerSends() throws IllegalAccessException {
        assertThat(constants(io.herald.CloseCodes.class)).doesNotContainValue(io.herald.client.CloseCodes.ABNORMAL);
    }

    private static Map<String, Integer> constants(Class<?> type) throws IllegalAccessException {
        Map<String, Integer> out = new TreeMap<>();
        for (Field f : type.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == int.class) {
                out.put(f.getName(), f.getInt(null));
            }
        }
        return out;
    }
}
