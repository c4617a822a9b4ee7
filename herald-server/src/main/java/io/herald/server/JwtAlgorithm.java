package io.herald.server;

import java.util.Locale;

/** The signature algorithms Herald verifies; one is pinned per configured key (SPEC §8). */
public enum JwtAlgorithm {
    HS256, RS256, ES256;

    /** The shortest HS256 secret Herald accepts, in bytes (RFC 7518 §3.2: at least the hash's size). */
    public static final int MIN_HS256_SECRET_BYTES = 32;

    /**
     * Parses {@code HS256}, {@code RS256} or {@code ES256}, in any case.
     *
     * @throws IllegalArgumentException for anything else, {@code none} included
     */
    public static JwtAlgorithm of(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        for (JwtAlgorithm a : values()) {
            if (a.name().equals(t)) {
                return a;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a supported algorithm; use HS256, RS256 or ES256");
    }
}
