package io.herald.server.internal.auth;

import static io.herald.server.internal.auth.TestKeys.AUDIENCE;
import static io.herald.server.internal.auth.TestKeys.CLOCK;
import static io.herald.server.internal.auth.TestKeys.SECRET;
import static io.herald.server.internal.auth.TestKeys.claims;
import static io.herald.server.internal.auth.TestKeys.hs256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.ErrorCode;
import io.herald.HeraldException;
import io.herald.server.AuthConfig;
import io.herald.server.internal.auth.ApiKeys.Role;
import io.herald.server.internal.auth.UnauthorizedException.Reason;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
    private static final String PUBLISH_KEY = "pub-0123456789abcdef";
    private static final String ADMIN_KEY = "adm-0123456789abcdef";

    private final Authenticator auth = new Authenticator(AuthConfig.newBuilder()
            .jwtSecret(SECRET)
            .audience(AUDIENCE)
            .publishApiKeys(List.of(PUBLISH_KEY))
            .adminApiKeys(List.of(ADMIN_KEY))
            .connectTimeout(Duration.ofSeconds(3))
            .build(), CLOCK);

    @Test
    void aValidTokenGivesItsPermissions() {
        Permissions p = auth.authenticate(hs256(claims().claim("channels", List.of("scan:*"))));

        assertThat(p.user()).contains("alice");
        assertThat(p.canSubscribe("scan:1")).isTrue();
        assertThat(p.canSubscribe("tasks:1")).isFalse();
    }

    @Test
    void noTokenIsRefusedByDefault() {
        assertThatThrownBy(() -> auth.authenticate(null))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING))
                .hasMessage("token required");
        assertThatThrownBy(() -> auth.authenticate(" ")).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void noTokenIsAnonymousWhenConfiguredButABadTokenIsStillRefused() {
        Authenticator open = new Authenticator(AuthConfig.newBuilder().anonymous(true).jwtSecret(SECRET).build(), CLOCK);

        assertThat(open.authenticate(null)).isSameAs(Permissions.ANONYMOUS);
        assertThat(open.authenticate("")).isSameAs(Permissions.ANONYMOUS);
        assertThatThrownBy(() -> open.authenticate(hs256(claims().expirationTime(new Date(0)))))
                .hasMessage("token expired");
    }

    @Test
    void aTokenWithoutAConfiguredKeyIsRefused() {
        Authenticator keyless = new Authenticator(AuthConfig.newBuilder().anonymous(true).build(), CLOCK);

        assertThatThrownBy(() -> keyless.authenticate(hs256(claims())))
                .isInstanceOfSatisfying(UnauthorizedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_CONFIGURED));
        assertThat(new Authenticator(AuthConfig.DEFAULTS, CLOCK).apiRole(null, null)).isEmpty();
    }

    @Test
    void apiKeysWorkInEitherHeader() {
        assertThat(auth.apiRole(null, PUBLISH_KEY)).contains(Role.PUBLISH);
        assertThat(auth.apiRole("Bearer " + ADMIN_KEY, null)).contains(Role.ADMIN);
        assertThat(auth.apiRole("bearer   " + PUBLISH_KEY + " ", null)).contains(Role.PUBLISH);
        // X-Api-Key wins over Authorization
        assertThat(auth.apiRole("Bearer " + ADMIN_KEY, PUBLISH_KEY)).contains(Role.PUBLISH);
    }

    @Test
    void anAdminTokenIsAnAlternativeToAnAdminKey() {
        assertThat(auth.apiRole("Bearer " + hs256(claims().claim("admin", true)), null)).contains(Role.ADMIN);
        assertThatThrownBy(() -> auth.apiRole("Bearer " + hs256(claims()), null))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        // a token is a bearer credential only, not an API key
        assertThatThrownBy(() -> auth.apiRole(null, hs256(claims().claim("admin", true))))
                .hasMessage("invalid API key");
    }

    @Test
    void wrongCredentialsAreUnauthorized() {
        assertThatThrownBy(() -> auth.apiRole(null, "pub-0123456789abcdeX"))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.API_KEY))
                .hasMessage("invalid API key");
        assertThatThrownBy(() -> auth.apiRole("Bearer " + hs256(claims().audience("x").claim("admin", true)), null))
                .hasMessage("wrong audience");
        assertThat(auth.apiRole("Basic dXNlcjpwYXNz", null)).isEmpty();
        assertThat(auth.apiRole(null, null)).isEmpty();
    }

    @Test
    void authorizeApiChecksTheRoleAgainstTheCall() {
        assertThat(auth.authorizeApi(null, PUBLISH_KEY, Role.PUBLISH)).isEqualTo(Role.PUBLISH);
        assertThat(auth.authorizeApi(null, ADMIN_KEY, Role.PUBLISH)).isEqualTo(Role.ADMIN);
        assertThatThrownBy(() -> auth.authorizeApi(null, PUBLISH_KEY, Role.ADMIN))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThatThrownBy(() -> auth.authorizeApi(null, null, Role.PUBLISH))
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING))
                .hasMessage("API key or admin token required");
    }

    @Test
    void bearerTokenReadsOnlyTheBearerScheme() {
        assertThat(Authenticator.bearerToken("Bearer abc")).contains("abc");
        assertThat(Authenticator.bearerToken("BEARER abc")).contains("abc");
        assertThat(Authenticator.bearerToken("Bearer ")).isEmpty();
        assertThat(Authenticator.bearerToken("Bearerabc")).isEmpty();
        assertThat(Authenticator.bearerToken("Basic abc")).isEmpty();
        assertThat(Authenticator.bearerToken(null)).isEmpty();
    }

    @Test
    void exposesTheOriginCheckAndTheConnectTimeout() {
        assertThat(auth.originAllowed("https://evil.test", "herald.example.com")).isFalse();
        assertThat(auth.originAllowed(null, "herald.example.com")).isTrue();
        assertThat(auth.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void toStringShowsNoSecret() {
        assertThat(auth.toString()).doesNotContain(SECRET).doesNotContain(PUBLISH_KEY).doesNotContain(ADMIN_KEY)
                .contains("HS256 secret (64 bytes)");
    }
}
