package io.herald.server;

import static io.herald.server.internal.auth.TestKeys.EC;
import static io.herald.server.internal.auth.TestKeys.RSA;
import static io.herald.server.internal.auth.TestKeys.SECRET;
import static io.herald.server.internal.auth.TestKeys.pem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.server.JwtAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthConfigTest {
    /** A self-signed certificate for an EC P-256 key, as {@code openssl req -x509} writes it. */
    private static final String CERTIFICATE = """
            -----BEGIN CERTIFICATE-----
            MIIBgzCCASmgAwIBAgIUB/X0oVsRxATbS4k/M+VzS/wErK4wCgYIKoZIzj0EAwIw
            FjEUMBIGA1UEAwwLaGVyYWxkLXRlc3QwIBcNMjYxMTIyMDIwNzI2WhgPMjEyNjEw
            MjkwMjA3MjZaMBYxFDASBgNVBAMMC2hlcmFsZC10ZXN0MFkwEwYHKoZIzj0CAQYI
            KoZIzj0DAQcDQgAEHNiGmSJDd5Sjba6Ra/bxndRygehtRmrQuQeAB/Tj051Fjs7h
            sePBWZNfbdBZZLOSWf4GoFHidSWn12gi0J2rfaNTMFEwHQYDVR0OBBYEFGx8ne8e
            6CeokBS0ba8uBZhNbthCMB8GA1UdIwQYMBaAFGx8ne8e6CeokBS0ba8uBZhNbthC
            MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhALeNVslyXuWrzOjU
            bWE/wAxNz/Olc4aWKfYjoE4f1bsAAiBoNSQ1kTGrUuIt5AKEIVouFaSRj7vNNDmV
            55IBa9RNEA==
            -----END CERTIFICATE-----
            """;

    @TempDir
    Path dir;

    @Test
    void defaultsAreSafe() {
        AuthConfig c = AuthConfig.DEFAULTS;

        assertThat(c.anonymous()).isFalse();
        assertThat(c.jwtKey()).isEmpty();
        assertThat(c.jwtAlgorithm()).isEmpty();
        assertThat(c.publishApiKeys()).isEmpty();
        assertThat(c.adminApiKeys()).isEmpty();
        assertThat(c.allowedOrigins()).isEmpty();
        assertThat(c.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(ServerConfig.newBuilder().build().auth()).isSameAs(AuthConfig.DEFAULTS);
    }

    @Test
    void theAlgorithmFollowsFromTheKey() {
        AuthConfig hs = AuthConfig.newBuilder().jwtSecret(SECRET).build();
        AuthConfig rs = AuthConfig.newBuilder().jwtPublicKey(pem(RSA.getPublic())).build();
        AuthConfig es = AuthConfig.newBuilder().jwtPublicKey(pem(EC.getPublic())).jwtAlgorithm(JwtAlgorithm.ES256).build();

        assertThat(hs.jwtAlgorithm()).contains(JwtAlgorithm.HS256);
        assertThat(hs.jwtKey()).get().isInstanceOf(SecretKey.class);
        assertThat(rs.jwtAlgorithm()).contains(JwtAlgorithm.RS256);
        assertThat(rs.jwtKey()).contains(RSA.getPublic());
        assertThat(es.jwtAlgorithm()).contains(JwtAlgorithm.ES256);
        assertThat(es.jwtKey()).get().isInstanceOf(ECPublicKey.class);
    }

    @Test
    void readsThePublicKeyFromAFileOrACertificate() throws IOException {
        Path file = Files.writeString(dir.resolve("jwt.pem"), pem(RSA.getPublic()));

        assertThat(AuthConfig.newBuilder().jwtPublicKeyFile(file).build().jwtKey()).contains(RSA.getPublic());
        assertThat(AuthConfig.newBuilder().jwtPublicKey(CERTIFICATE).build().jwtAlgorithm()).contains(JwtAlgorithm.ES256);
    }

    @Test
    void aShortSecretIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> AuthConfig.newBuilder().jwtSecret("s3cret-but-short").build())
                .hasMessage("auth.jwt.secret must be at least 32 bytes, was 16; generate one with: openssl rand -hex 32")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void oneKeyOneAlgorithm() {
        assertThatThrownBy(() -> AuthConfig.newBuilder().jwtSecret(SECRET).jwtPublicKey(pem(RSA.getPublic())).build())
                .hasMessageStartingWith("auth.jwt.secret must not be set together with a public key");
        assertThatThrownBy(() -> AuthConfig.newBuilder().jwtSecret(SECRET).jwtAlgorithm(JwtAlgorithm.RS256).build())
                .hasMessage("auth.jwt.algorithm must match the configured key: it is RS256 but the key is a secret (HS256)");
        assertThatThrownBy(() -> AuthConfig.newBuilder().jwtPublicKey(pem(EC.getPublic())).jwtAlgorithm(JwtAlgorithm.RS256)
                .build())
                .hasMessageEndingWith("but the key is an EC key (ES256)");
        assertThatThrownBy(() -> AuthConfig.newBuilder().jwtAlgorithm(JwtAlgorithm.ES256).build())
                .hasMessage("auth.jwt.publicKey must be set (or auth.jwt.publicKeyFile) when auth.jwt.algorithm is ES256");
        assertThatThrownBy(() -> AuthConfig.newBuilder().jwtAlgorithm(JwtAlgorithm.HS256).build())
                .hasMessage("auth.jwt.secret must be set when auth.jwt.algorithm is HS256");
    }

    @Test
    void refusesKeysHeraldCannotUseSafely() throws GeneralSecurityException {
        assertThatThrownBy(() -> publicKey(pem(generate("RSA", 1024))))
                .hasMessage("auth.jwt.publicKey must be an RSA key of at least 2048 bits, was 1024");
        assertThatThrownBy(() -> publicKey(pem(generate("EC", 384))))
                .hasMessageStartingWith("auth.jwt.publicKey must be an EC key on curve P-256");
        assertThatThrownBy(() -> publicKey("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"))
                .hasMessageStartingWith("auth.jwt.publicKey must be a public key, not a private key");
        assertThatThrownBy(() -> publicKey("-----BEGIN RSA PUBLIC KEY-----\nMIIB\n-----END RSA PUBLIC KEY-----\n"))
                .hasMessageStartingWith("auth.jwt.publicKey must be an X.509 public key")
                .hasMessageContaining("not PKCS#1");
        assertThatThrownBy(() -> publicKey("ssh-rsa AAAAB3NzaC1yc2E"))
                .hasMessageStartingWith("auth.jwt.publicKey must hold a PEM public key");
        assertThatThrownBy(() -> publicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"))
                .hasMessageStartingWith("auth.jwt.publicKey must hold an RSA or EC public key");
        assertThatThrownBy(() -> AuthConfig.newBuilder().jwtPublicKeyFile(dir.resolve("missing.pem")).build())
                .hasMessageStartingWith("auth.jwt.publicKeyFile must name a readable file;")
                .hasMessageEndingWith("does not exist");
    }

    @Test
    void apiKeysMustBeLongAndDistinctAcrossRoles() {
        assertThatThrownBy(() -> AuthConfig.newBuilder().publishApiKeys(List.of("changeme")).build())
                .hasMessageStartingWith("auth.apiKeys.publish must hold keys of at least 16 characters, one has 8")
                .hasMessageNotContaining("changeme");
        assertThatThrownBy(() -> AuthConfig.newBuilder().adminApiKeys(List.of("with a space in it")).build())
                .hasMessageStartingWith("auth.apiKeys.admin must hold keys of printable ASCII without spaces");
        assertThatThrownBy(() -> AuthConfig.newBuilder().publishApiKeys(List.of("0123456789abcdef"))
                .adminApiKeys(List.of("0123456789abcdef")).build())
                .hasMessageStartingWith("auth.apiKeys.admin must not repeat a key of auth.apiKeys.publish");
    }

    @Test
    void durationsAndOriginsAreValidated() {
        assertThatThrownBy(() -> AuthConfig.newBuilder().clockSkew(Duration.ofHours(1)).build())
                .hasMessage("auth.jwt.clockSkew must be between 0s and 10m, was PT1H");
        assertThatThrownBy(() -> AuthConfig.newBuilder().connectTimeout(Duration.ZERO).build())
                .hasMessage("auth.connectTimeout must be a positive duration, was PT0S");
        assertThatThrownBy(() -> AuthConfig.newBuilder().allowedOrigins(List.of("app.example.com")).build())
                .hasMessageStartingWith("allowedOrigins must hold origins such as https://app.example.com");
        assertThat(AuthConfig.newBuilder().allowedOrigins(List.of("https://App.example.com:443", "https://app.example.com"))
                .build().allowedOrigins()).containsExactly("https://app.example.com");
    }

    @Test
    void toStringListsEveryFieldButNoSecret() {
        AuthConfig c = AuthConfig.newBuilder().jwtSecret(SECRET).issuer("https://issuer.test").audience("herald")
                .publishApiKeys(List.of("pub-0123456789abcdef")).adminApiKeys(List.of("adm-0123456789abcdef"))
                .allowedOrigins(List.of("https://app.example.com")).build();

        assertThat(c.toString()).isEqualTo("AuthConfig{anonymous=false, jwt=HS256 secret (64 bytes),"
                + " issuer=https://issuer.test, audience=herald, clockSkew=PT30S, apiKeys=1 publish/1 admin,"
                + " connectTimeout=PT10S, allowedOrigins=[https://app.example.com], strictOrigin=false}");
        assertThat(ServerConfig.newBuilder().auth(c).build().toString()).contains("auth=AuthConfig{").doesNotContain(SECRET);
        assertThat(AuthConfig.newBuilder().jwtPublicKey(pem(RSA.getPublic())).build().toString())
                .contains("jwt=RS256 RSA 2048-bit public key");
    }

    @Test
    void toBuilderKeepsEverySetting() {
        AuthConfig c = AuthConfig.newBuilder().anonymous(true).jwtPublicKey(pem(EC.getPublic())).issuer("i").audience("a")
                .clockSkew(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(2))
                .adminApiKeys(List.of("adm-0123456789abcdef")).build();

        AuthConfig copy = c.toBuilder().build();

        assertThat(copy).hasToString(c.toString());
        assertThat(copy.jwtKey()).isEqualTo(c.jwtKey());
        assertThat(copy.adminApiKeys()).isEqualTo(c.adminApiKeys());
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "HS384", "PS256", "EdDSA", ""})
    void onlyThreeAlgorithmsExist(String name) {
        assertThatThrownBy(() -> JwtAlgorithm.of(name))
                .hasMessage("'" + name + "' is not a supported algorithm; use HS256, RS256 or ES256");
    }

    private static PublicKey publicKey(String pem) {
        return (PublicKey) AuthConfig.newBuilder().jwtPublicKey(pem).build().jwtKey().orElseThrow();
    }

    private static PublicKey generate(String algorithm, int size) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            g.initialize(new ECGenParameterSpec("secp" + size + "r1"));
        } else {
            g.initialize(size);
        }
        PublicKey key = g.generateKeyPair().getPublic();
        assertThat(key).isInstanceOfAny(RSAPublicKey.class, ECPublicKey.class);
        return key;
    }
}
