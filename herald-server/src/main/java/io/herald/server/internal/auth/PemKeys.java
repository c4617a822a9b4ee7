package io.herald.server.internal.auth;

import com.nimbusds.jose.jwk.Curve;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the public key tokens are verified with from PEM text: an X.509
 * {@code -----BEGIN PUBLIC KEY-----} block, or a {@code -----BEGIN CERTIFICATE-----} whose key is
 * used. Only what Herald can verify is accepted: RSA of at least {@value #MIN_RSA_BITS} bits, or EC
 * on curve P-256. Stateless and thread-safe.
 */
public final class PemKeys {
    /** The smallest RSA modulus accepted, in bits (NIST SP 800-131A). */
    public static final int MIN_RSA_BITS = 2048;

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    private PemKeys() {
    }

    /**
     * The RSA or EC P-256 public key in {@code pem} (the first PEM block).
     *
     * @throws IllegalArgumentException whose message completes "the key must ...", e.g. "be a public
     *                                  key, not a private key; ..."
     */
    public static PublicKey publicKey(String pem) {
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("hold a PEM public key (-----BEGIN PUBLIC KEY-----); found no PEM block");
        }
        String type = m.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hold valid base64 inside its PEM block", e);
        }
        PublicKey key = switch (type) {
            case "PUBLIC KEY" -> decode(der);
            case "CERTIFICATE" -> certificateKey(der);
            case "RSA PUBLIC KEY" -> throw new IllegalArgumentException("be an X.509 public key (-----BEGIN PUBLIC KEY-----),"
                    + " not PKCS#1; convert it with: openssl rsa -RSAPublicKey_in -in key.pem -pubout");
            default -> {
                if (type.contains("PRIVATE")) {
                    throw new IllegalArgumentException("be a public key, not a private key (Herald only verifies);"
                            + " extract it with: openssl pkey -in key.pem -pubout");
                }
                throw new IllegalArgumentException("hold a PEM public key (-----BEGIN PUBLIC KEY-----), not " + type);
            }
        };
        return checkStrength(key);
    }

    private static PublicKey decode(byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException("hold an RSA or EC public key; this one cannot be decoded");
    }

    private static PublicKey certificateKey(byte[] der) {
        try {
            return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("hold a valid X.509 certificate; this one cannot be decoded", e);
        }
    }

    private static PublicKey checkStrength(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new IllegalArgumentException("be an RSA key of at least " + MIN_RSA_BITS + " bits, was " + bits);
            }
            return key;
        }
        if (key instanceof ECPublicKey ec) {
            if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                throw new IllegalArgumentException("be an EC key on curve P-256 (ES256); this one is on another curve");
            }
            return key;
        }
        throw new IllegalArgumentException("be an RSA or EC P-256 public key, was " + key.getAlgorithm());
    }
}
