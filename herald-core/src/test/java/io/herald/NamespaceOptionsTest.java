package io.herald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NamespaceOptionsTest {

    @Test
    void defaultsMatchTheSpec() {
        NamespaceOptions o = NamespaceOptions.DEFAULTS;
        assertThat(o.batchInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(o.batchMaxSize()).isEqualTo(50);
        assertThat(o.throttleRate()).isEqualTo(10);
        assertThat(o.cleanupDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.historySize()).isEqualTo(100);
        assertThat(o.historyTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.retained()).isFalse();
        assertThat(o.retainedMaxKeys()).isEqualTo(1000);
        assertThat(o.outboundBufferBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void retainedMaxKeysMustBePositiveAndIsPartOfEquality() {
        assertThatThrownBy(() -> NamespaceOptions.newBuilder().retainedMaxKeys(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retained.maxKeys");
        NamespaceOptions five = NamespaceOptions.newBuilder().retained(true).retainedMaxKeys(5).build();
        assertThat(five.retainedMaxKeys()).isEqualTo(5);
        assertThat(five.toBuilder().build()).isEqualTo(five).hasSameHashCodeAs(five);
        assertThat(five).isNotEqualTo(five.toBuilder().retainedMaxKeys(6).build());
        assertThat(five.toString()).contains("retainedMaxKeys=5");
    }

    @Test
    void presetsSetTheirGroup() {
        NamespaceOptions large = NamespaceOptions.newBuilder().preset(Preset.LARGE).build();
        assertThat(large.throttleRate()).isEqualTo(5);
        assertThat(large.batchInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(large.batchMaxSize()).isEqualTo(100);
        NamespaceOptions realtime = NamespaceOptions.newBuilder().preset(Preset.REALTIME).build();
        assertThat(realtime.throttleRate()).isEqualTo(20);
        assertThat(realtime.batchInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(realtime.batchMaxSize()).isEqualTo(25);
        assertThat(NamespaceOptions.newBuilder().preset(Preset.LIGHTWEIGHT).build()).isEqualTo(NamespaceOptions.DEFAULTS);
    }

    @Test
    void presetNamesAreParsedCaseInsensitively() {
        assertThat(Preset.of("Unstable-Network")).isEqualTo(Preset.UNSTABLE_NETWORK);
        assertThatThrownBy(() -> Preset.of("turbo")).hasMessageContaining("unknown preset 'turbo'")
                .hasMessageContaining("standard, large, realtime, unstable-network, lightweight, passthrough");
    }

    @Test
    void equalityIgnoresTheOrderOfEventLists() {
        NamespaceOptions a = NamespaceOptions.newBuilder().critical(new java.util.LinkedHashSet<>(java.util.List.of("a", "b", "c", "d"))).build();
        NamespaceOptions b = NamespaceOptions.newBuilder().critical(new java.util.LinkedHashSet<>(java.util.List.of("d", "c", "b", "a"))).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(NamespaceOptions.DEFAULTS);
    }

    @Test
    void invalidValuesNameTheKey() {
        assertThatThrownBy(() -> NamespaceOptions.newBuilder().batchMaxSize(0).build()).hasMessageStartingWith("batch.maxSize");
        assertThatThrownBy(() -> NamespaceOptions.newBuilder().batchInterval(Duration.ZERO).build())
                .hasMessageStartingWith("batch.interval");
        assertThatThrownBy(() -> NamespaceOptions.newBuilder().throttleRate(-1).build()).hasMessageStartingWith("throttle.rate");
    }

    @Test
    void criticalByNamespaceListOrByPublisher() {
        NamespaceOptions o = NamespaceOptions.newBuilder().critical(Set.of("scanCompleted")).build();
        assertThat(o.isCritical(Message.of("scan:1", "scanCompleted", null))).isTrue();
        assertThat(o.isCritical(Message.of("scan:1", "progress", null))).isFalse();
        assertThat(o.isCritical(Message.builder("scan:1", "progress").critical(true).build())).isTrue();
    }

    @Test
    void configPicksOptionsByNamespace() {
        NamespaceOptions scan = NamespaceOptions.newBuilder().preset(Preset.LARGE).build();
        HeraldConfig c = HeraldConfig.newBuilder().namespaces(java.util.Map.of("scan", scan)).build();
        assertThat(c.optionsFor("scan:1")).isSameAs(scan);
        assertThat(c.optionsFor("settings:global")).isSameAs(NamespaceOptions.DEFAULTS);
    }
}
