package io.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"scan:42", "settings:global", "user:alice@example.com", "a", "ns:a/b#c-d_e.f", "x:1:2"})
    void acceptsSpecCharacters(String name) {
        assertThat(ChannelNames.isValid(name)).isTrue();
        assertThat(ChannelNames.validate(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "scan 1", "scan:é", "a\nb", "a?b", "a%20b", "a*", "a\u0000"})
    void rejectsEverythingElseAsBadRequest(String name) {
        assertThat(ChannelNames.isValid(name)).isFalse();
        assertThatThrownBy(() -> ChannelNames.validate(name))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"task:*", "*", "scan:*:progress"})
    void patternIsToldThatWildcardsAreForTokens(String pattern) {
        assertThatThrownBy(() -> ChannelNames.validate(pattern))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessageContaining("wildcards are not supported")
                .hasMessageContaining("channel patterns such as task:* are for tokens; subscribe to a channel name");
    }

    @Test
    void lengthIsBoundedAt255() {
        assertThat(ChannelNames.isValid("a".repeat(255))).isTrue();
        assertThatThrownBy(() -> ChannelNames.validate("a".repeat(256))).hasMessageContaining("255");
    }

    @Test
    void namespaceIsThePartBeforeTheFirstColon() {
        assertThat(ChannelNames.namespace("scan:42")).isEqualTo("scan");
        assertThat(ChannelNames.namespace("a:b:c")).isEqualTo("a");
        assertThat(ChannelNames.namespace("plain")).isEmpty();
    }
}
