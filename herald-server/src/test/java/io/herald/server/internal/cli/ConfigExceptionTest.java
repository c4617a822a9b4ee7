package io.herald.server.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.ErrorCode;
import io.herald.HeraldException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A configuration error is a {@link HeraldException} that carries its exit status. */
class ConfigExceptionTest {

    @Test
    void configErrorIsAHeraldExceptionThatExitsWith2() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HERALD_PORT", "70000")).load())
                .isInstanceOfSatisfying(HeraldException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(((ConfigException) e).exitCode()).isEqualTo(ServeCommand.EXIT_BAD_CONFIG).isEqualTo(2);
                })
                .hasMessage("port: must be between 0 and 65535, was 70000 (from HERALD_PORT)");
    }
}
