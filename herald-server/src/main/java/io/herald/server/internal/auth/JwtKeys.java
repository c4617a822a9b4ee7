package io.herald.server.internal.auth;

import io.herald.server.JwtAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns the {@code auth.jwt.*} settings into the one key tokens are verified with, and its pinned
 * algorithm, for {@code AuthConfig}. Messages name the config keys, never a secret. Stateless.
 */
public final class JwtKeys {

    /** A verification key and the only algorithm it verifies. */
    public record Pinned(JwtAlgorithm algorithm, Key key) {
    }

    private JwtKeys() {
    }

    /**
     * The key the settings describe; empty when none is set.
     *
     * @param algorithm     {@code auth.jwt.algorithm}; when empty it follows from the key
     * @param secret        {@code auth.jwt.secret}: its UTF-8 bytes are the HS256 key
     * @param publicKey     {@code auth.jwt.publicKey}, PEM
     * @param publicKeyFile {@code auth.jwt.publicKeyFile}, read now
     * @throws IllegalArgumentException starting with the key at fault, e.g. "auth.jwt.secret must ..."
     */
    public static Optional<Pinned> resolve(Optional<JwtAlgorithm> algorithm, Optional<String> secret,
            Optional<String> publicKey, Optional<Path> publicKeyFile) {
        if (publicKey.isPresent() && publicKeyFile.isPresent()) {
            throw new IllegalArgumentException("auth.jwt.publicKey must not be set together with auth.jwt.publicKeyFile");
        }
        if (secret.isPresent() && (publicKey.isPresent() || publicKeyFile.isPresent())) {
            throw new IllegalArgumentException("auth.jwt.secret must not be set together with a public key "
                    + "(auth.jwt.publicKey or auth.jwt.publicKeyFile): Herald verifies with one key and one algorithm");
        }
        Optional<Key> key;
        if (secret.isPresent()) {
            key = Optional.of(hmacKey(secret.get()));
        } else if (publicKeyFile.isPresent()) {
            key = Optional.of(parse("auth.jwt.publicKeyFile", read(publicKeyFile.get())));
        } else {
            key = publicKey.map(pem -> parse("auth.jwt.publicKey", pem));
        }
        if (key.isEmpty() && algorithm.isPresent()) {
            throw new IllegalArgumentException(algorithm.get() == JwtAlgorithm.HS256
                    ? "auth.jwt.secret must be set when auth.jwt.algorithm is HS256"
                    : "auth.jwt.publicKey must be set (or auth.jwt.publicKeyFile) when auth.jwt.algorithm is " + algorithm.get());
        }
        return key.map(k -> new Pinned(pin(algorithm, k), k));
    }

    /** A short description of a key for logs: its kind and size, never its value. */
    public static String describe(Key key) {
        if (key instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength() + "-bit public key";
        }
        if (key instanceof ECPublicKey) {
            return "EC P-256 public key";
        }
        return "secret (" + key.getEncoded().length + " bytes)";
    }

    private static Key hmacKey(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < JwtAlgorithm.MIN_HS256_SECRET_BYTES) {
            throw new IllegalArgumentException("auth.jwt.secret must be at least " + JwtAlgorithm.MIN_HS256_SECRET_BYTES
                    + " bytes, was " + bytes.length + "; generate one with: openssl rand -hex 32");
        }
        return new SecretKeySpec(bytes, "HmacSHA256");
    }

    private static JwtAlgorithm pin(Optional<JwtAlgorithm> configured, Key key) {
        JwtAlgorithm implied = key instanceof RSAPublicKey ? JwtAlgorithm.RS256
                : key instanceof ECPublicKey ? JwtAlgorithm.ES256 : JwtAlgorithm.HS256;
        if (configured.isPresent() && configured.get() != implied) {
            String what = switch (implied) {
                case HS256 -> "a secret (HS256)";
                case RS256 -> "an RSA key (RS256)";
                case ES256 -> "an EC key (ES256)";
            };
            throw new IllegalArgumentException("auth.jwt.algorithm must match the configured key: it is "
                    + configured.get() + " but the key is " + what);
        }
        return implied;
    }

    private static PublicKey parse(String path, String pem) {
        try {
            return PemKeys.publicKey(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + " must " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("auth.jwt.publicKeyFile must name a readable file; '" + file
                    + "' does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("auth.jwt.publicKeyFile must name a readable file; cannot read '"
                    + file + "': " + e, e);
        }
    }
}
