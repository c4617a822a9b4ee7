package io.herald.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.internal.auth.ApiKeys.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    private static final String PUBLISHER = "pub-0123456789abcdef";
    private static final String OPERATOR = "adm-0123456789abcdef";
    private final ApiKeys keys = ApiKeys.of(List.of(PUBLISHER), List.of(OPERATOR));

    @Test
    void configuredKeysHaveTheirRole() {
        assertThat(keys.check(PUBLISHER)).contains(Role.PUBLISH);
        assertThat(keys.check(OPERATOR)).contains(Role.ADMIN);
    }

    @Test
    void anythingElseHasNoRole() {
        assertThat(keys.check("pub-0123456789abcdeF")).isEmpty();
        assertThat(keys.check(PUBLISHER + " ")).isEmpty();
        assertThat(keys.check(PUBLISHER.substring(0, 10))).isEmpty();
        assertThat(keys.check(PUBLISHER + PUBLISHER)).isEmpty();
        assertThat(keys.check("")).isEmpty();
        assertThat(keys.check(null)).isEmpty();
        assertThat(ApiKeys.NONE.check(PUBLISHER)).isEmpty();
    }

    @Test
    void adminImpliesPublish() {
        assertThat(Role.ADMIN.grants(Role.PUBLISH)).isTrue();
        assertThat(Role.ADMIN.grants(Role.ADMIN)).isTrue();
        assertThat(Role.PUBLISH.grants(Role.PUBLISH)).isTrue();
        assertThat(Role.PUBLISH.grants(Role.ADMIN)).isFalse();
    }

    @Test
    void aKeyListedForBothRolesIsAdmin() {
        ApiKeys both = ApiKeys.of(List.of(OPERATOR), List.of(OPERATOR));

        assertThat(both.check(OPERATOR)).contains(Role.ADMIN);
    }

    @Test
    void toStringCountsKeysWithoutShowingThem() {
        assertThat(keys).hasToString("ApiKeys{publish=1, admin=1}");
        assertThat(keys.toString()).doesNotContain(PUBLISHER).doesNotContain(OPERATOR);
    }
}
