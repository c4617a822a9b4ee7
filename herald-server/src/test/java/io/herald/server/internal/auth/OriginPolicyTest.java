package io.herald.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OriginPolicyTest {
    private final OriginPolicy sameOriginOnly = OriginPolicy.of(List.of());
    private final OriginPolicy listed = OriginPolicy.of(List.of("https://app.example.com", "http://localhost:3000"));

    @Test
    void requestsWithoutOriginAreAllowed() {
        assertThat(sameOriginOnly.allows(null, "herald.example.com")).isTrue();
        assertThat(sameOriginOnly.allows("", null)).isTrue();
    }

    @ParameterizedTest(name = "{0} on host {1}: {2}")
    @CsvSource({
            "http://127.0.0.1:8080, 127.0.0.1:8080, true",
            "https://herald.example.com, herald.example.com, true",
            "https://herald.example.com, herald.example.com:443, true",
            "http://HERALD.example.com:80, herald.example.com, true",
            "http://127.0.0.1:8081, 127.0.0.1:8080, false",
            "https://evil.example, herald.example.com, false",
            "http://herald.example.com, herald.example.com:443, false",
            "null, herald.example.com, false",
            "file://, herald.example.com, false",
            "http://[::1]:8080, '[::1]:8080', true",
    })
    void sameOriginIsAllowedByDefaultAndNothingElse(String origin, String host, boolean expected) {
        assertThat(sameOriginOnly.allows(origin, host)).isEqualTo(expected);
    }

    @Test
    void strictModeRefusesAnOriginThatOnlyMatchesItsHost() {
        OriginPolicy strict = OriginPolicy.of(List.of("https://app.example.com"), true);
        // DNS rebinding: the attacker's name resolves to this server, so Origin and Host agree
        assertThat(strict.allows("http://rebound.example:8080", "rebound.example:8080")).isFalse();
        assertThat(strict.allows("http://127.0.0.1:8080", "127.0.0.1:8080")).isFalse();
        assertThat(strict.allows("https://app.example.com", "herald.example.com")).isTrue();
        assertThat(strict.allows(null, "herald.example.com")).isTrue();
        assertThat(OriginPolicy.of(List.of("*"), true).allows("https://any.example", "herald.example.com")).isTrue();
        assertThat(OriginPolicy.of(List.of(), true).allows("https://herald.example.com", "herald.example.com")).isFalse();
    }

    @Test
    void listedOriginsAreAllowedExactly() {
        assertThat(listed.allows("https://app.example.com", "herald.example.com")).isTrue();
        assertThat(listed.allows("https://APP.example.com:443", "herald.example.com")).isTrue();
        assertThat(listed.allows("http://localhost:3000", "herald.example.com")).isTrue();
        assertThat(listed.allows("http://app.example.com", "herald.example.com")).isFalse();
        assertThat(listed.allows("https://app.example.com.evil.test", "herald.example.com")).isFalse();
        assertThat(listed.allows("http://localhost:3001", "herald.example.com")).isFalse();
        assertThat(listed.allows("https://evil.test", null)).isFalse();
    }

    @Test
    void starAllowsEveryOrigin() {
        assertThat(OriginPolicy.of(List.of("*")).allows("https://anywhere.test", "herald.example.com")).isTrue();
        assertThat(OriginPolicy.of(List.of("*")).allows("null", "herald.example.com")).isTrue();
    }

    @Test
    void normalizesConfiguredOrigins() {
        assertThat(OriginPolicy.normalize(" HTTPS://App.Example.com:443 ")).isEqualTo("https://app.example.com");
        assertThat(OriginPolicy.normalize("http://localhost:3000")).isEqualTo("http://localhost:3000");
        assertThat(OriginPolicy.normalize("*")).isEqualTo("*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.example.com", "https://app.example.com/", "https://app.example.com/path", "ftp://x.test",
            "null", "https://", "https://user@app.example.com"})
    void rejectsWhatIsNotAnOrigin(String origin) {
        assertThatThrownBy(() -> OriginPolicy.normalize(origin))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("hold origins such as https://app.example.com");
    }
}
