package io.herald.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.ErrorCode;
import io.herald.HeraldException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PermissionsTest {
    private static final Instant EXPIRY = Instant.ofEpochSecond(1_800_000_000L);

    @Test
    void tokenPatternsGrantSubscribeAndPublishSeparately() {
        Permissions p = permissions("alice", List.of("scan:*", "settings:global"), List.of("scan:42"), false);

        assertThat(p.canSubscribe("scan:7")).isTrue();
        assertThat(p.canSubscribe("settings:global")).isTrue();
        assertThat(p.canSubscribe("tasks:1")).isFalse();
        assertThat(p.canPublish("scan:42")).isTrue();
        assertThat(p.canPublish("scan:7")).isFalse();
        assertThat(p.user()).contains("alice");
        assertThat(p.expiresAt()).contains(EXPIRY);
        assertThat(p.anonymous()).isFalse();
    }

    @Test
    void userChannelsBelongToTheirSubjectOnlyWhateverThePatterns() {
        Permissions alice = permissions("alice", List.of("user:*", "user:bob", "**"), List.of("user:*", "**"), false);

        assertThat(alice.canSubscribe("user:alice")).isTrue();
        assertThat(alice.canSubscribe("user:bob")).isFalse();
        assertThat(alice.canSubscribe("user:alice2")).isFalse();
        assertThat(alice.canSubscribe("user:alice:inbox")).isFalse();
        assertThat(alice.canPublish("user:alice")).isTrue();
        assertThat(alice.canPublish("user:bob")).isFalse();
        // other namespaces that merely start with "user" are ordinary channels
        assertThat(alice.canSubscribe("users:bob")).isTrue();
    }

    @Test
    void ownUserChannelMaySubscribeUnlistedButNotPublishUnlisted() {
        Permissions alice = permissions("alice", List.of(), List.of(), false);

        assertThat(alice.canSubscribe("user:alice")).isTrue();
        assertThat(alice.canPublish("user:alice")).isFalse();
    }

    @Test
    void adminMayDoEverything() {
        Permissions admin = permissions("ops", List.of(), List.of(), true);

        assertThat(admin.canSubscribe("user:bob")).isTrue();
        assertThat(admin.canPublish("user:bob")).isTrue();
        assertThat(admin.canPublish("anything:at:all")).isTrue();
        assertThat(admin.admin()).isTrue();
    }

    @Test
    void anonymousMaySubscribeExceptToUserChannelsAndNeverPublish() {
        Permissions p = Permissions.ANONYMOUS;

        assertThat(p.canSubscribe("scan:1")).isTrue();
        assertThat(p.canSubscribe("lobby")).isTrue();
        assertThat(p.canSubscribe("user:alice")).isFalse();
        assertThat(p.canPublish("scan:1")).isFalse();
        assertThat(p.user()).isEmpty();
        assertThat(p.expiresAt()).isEmpty();
        assertThat(p.anonymous()).isTrue();
    }

    @Test
    void checksThrowForbiddenNamingTheChannel() {
        Permissions p = permissions("alice", List.of("scan:*"), List.of(), false);

        p.checkSubscribe("scan:1");
        assertThatThrownBy(() -> p.checkSubscribe("user:bob"))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN))
                .hasMessage("not allowed to subscribe to 'user:bob'");
        assertThatThrownBy(() -> p.checkPublish("scan:1"))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN))
                .hasMessage("not allowed to publish to 'scan:1'");
    }

    private static Permissions permissions(String sub, List<String> channels, List<String> publish, boolean admin) {
        return Permissions.of(new TokenClaims(sub, EXPIRY, ChannelPatterns.of(channels), ChannelPatterns.of(publish), admin));
    }
}
