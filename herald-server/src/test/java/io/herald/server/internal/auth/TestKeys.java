package io.herald.server.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.herald.HeraldClock;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;

/** Keys made once per test JVM, a fixed clock, and helpers that sign tokens the way an issuer would. */
public final class TestKeys {
    /** 64 characters, as {@code openssl rand -hex 32} prints. */
    public static final String SECRET = "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0";
    public static final String OTHER_SECRET = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    public static final long NOW_MILLIS = 1_763_000_000_000L;
    public static final HeraldClock CLOCK = fixedClock(NOW_MILLIS);
    public static final String ISSUER = "https://issuer.test";
    public static final String AUDIENCE = "herald";

    public static final KeyPair RSA = generate("RSA", 2048);
    public static final KeyPair OTHER_RSA = generate("RSA", 2048);
    public static final KeyPair EC = generate("EC", 256);
    public static final KeyPair OTHER_EC = generate("EC", 256);

    private TestKeys() {
    }

    /** A clock that always reads {@code epochMillis}. */
    public static HeraldClock fixedClock(long epochMillis) {
        return new HeraldClock() {
            @Override
            public long nanoTime() {
                return epochMillis * 1_000_000L;
            }

            @Override
            public long epochMillis() {
                return epochMillis;
            }
        };
    }

    /** The X.509 PEM form of a public key, as {@code openssl pkey -pubout} writes it. */
    public static String pem(PublicKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    /** Claims of a valid token for {@code alice}: issuer and audience set, expiring in an hour. */
    public static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .subject("alice")
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(new Date(NOW_MILLIS))
                .expirationTime(new Date(NOW_MILLIS + Duration.ofHours(1).toMillis()));
    }

    public static String hs256(JWTClaimsSet.Builder claims) {
        return sign(JWSAlgorithm.HS256, macSigner(SECRET.getBytes(StandardCharsets.UTF_8)), claims);
    }

    public static String rs256(KeyPair pair, JWTClaimsSet.Builder claims) {
        return sign(JWSAlgorithm.RS256, new RSASSASigner(pair.getPrivate()), claims);
    }

    public static String es256(KeyPair pair, JWTClaimsSet.Builder claims) {
        try {
            return sign(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) pair.getPrivate()), claims);
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    public static MACSigner macSigner(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
    }

    public static String sign(JWSAlgorithm algorithm, JWSSigner signer, JWTClaimsSet.Builder claims) {
        return sign(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), signer, claims);
    }

    public static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet.Builder claims) {
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new AssertionError(e);
        }
        return jwt.serialize();
    }

    private static KeyPair generate(String algorithm, int size) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                g.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                g.initialize(size);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
