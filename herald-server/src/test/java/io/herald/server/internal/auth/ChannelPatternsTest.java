package io.herald.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelPatternsTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "settings:global, settings:global, true",
            "settings:global, settings:globalx, false",
            "settings:global, settings:Global, false",
            // * stays within a segment
            "scan:*, scan:42, true",
            "scan:*, scan:, true",
            "scan:*, scan:42:hosts, false",
            "scan:*, scans:42, false",
            "scan:*, other:42, false",
            "scan:*:hosts, scan:42:hosts, true",
            "scan:*:hosts, scan:42:ports, false",
            "scan:job-*, scan:job-7, true",
            "scan:job-*, scan:task-7, false",
            "*, lobby, true",
            "*, scan:42, false",
            "*:*, scan:42, true",
            "*:*, scan:42:hosts, false",
            "*:42, scan:42, true",
            // ** crosses ':'
            "scan:**, scan:42:hosts, true",
            "scan:**, scan:42, true",
            "scan:**, scanner:1, false",
            "**, anything:at:all, true",
            "**:hosts, scan:42:hosts, true",
            "**:hosts, scan:42:ports, false",
            // no other character is special
            "room#1, room#1, true",
            "room#1, room#2, false",
            "a.b, axb, false",
            "jobs/*, jobs/7, true",
    })
    void matchesByTheDocumentedRules(String pattern, String channel, boolean expected) {
        assertThat(ChannelPatterns.of(List.of(pattern)).allows(channel)).isEqualTo(expected);
    }

    @Test
    void anyPatternMayGrant() {
        ChannelPatterns p = ChannelPatterns.of(List.of("settings:global", "scan:*", "metrics:**"));

        assertThat(p.allows("settings:global")).isTrue();
        assertThat(p.allows("scan:1")).isTrue();
        assertThat(p.allows("metrics:cpu:0")).isTrue();
        assertThat(p.allows("tasks:1")).isFalse();
        assertThat(p.patterns()).containsExactly("settings:global", "scan:*", "metrics:**");
    }

    @Test
    void noPatternsGrantNothing() {
        assertThat(ChannelPatterns.of(List.of())).isSameAs(ChannelPatterns.NONE);
        assertThat(ChannelPatterns.NONE.allows("scan:1")).isFalse();
        assertThat(ChannelPatterns.NONE.isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "scan:***", "has space", "scan:?", "ünïcode", "tab\there"})
    void rejectsInvalidPatterns(String pattern) {
        assertThat(ChannelPatterns.isValid(pattern)).isFalse();
        assertThatThrownBy(() -> ChannelPatterns.of(List.of("ok", pattern)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pattern 1 is not a channel pattern");
    }

    @Test
    void rejectsTooManyPatternsAndTooLongOnes() {
        assertThatThrownBy(() -> ChannelPatterns.of(Collections.nCopies(ChannelPatterns.MAX_PATTERNS + 1, "a")))
                .hasMessageContaining("more than");
        assertThat(ChannelPatterns.isValid("*".repeat(2) + "a".repeat(253))).isTrue();
        assertThat(ChannelPatterns.isValid("a".repeat(256))).isFalse();
    }

    @Test
    @Timeout(10)
    void manyStarsAgainstALongChannelDoNotBacktrack() {
        // a backtracking matcher would not finish here; this one does one pass per star
        String pattern = "**a".repeat(60) + "b";
        String channel = "a".repeat(255);

        assertThat(ChannelPatterns.of(List.of(pattern)).allows(channel)).isFalse();
    }
}
