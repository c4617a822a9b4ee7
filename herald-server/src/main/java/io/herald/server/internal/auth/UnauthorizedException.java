package io.herald.server.internal.auth;

import io.herald.CloseCodes;
import io.herald.ErrorCode;
import io.herald.HeraldException;

/**
 * Credentials are missing or invalid: a token that does not verify, or an unknown API key. Answered
 * with {@code unauthorized} (HTTP 401) or, on a WebSocket, closed with {@link CloseCodes#UNAUTHORIZED}.
 *
 * <p>The message is short, fixed per {@link Reason} and safe to send to the client: it never holds
 * key material, the token, or which part of a signature failed.
 */
public final class UnauthorizedException extends HeraldException {
    /** Why the credentials were refused, e.g. as a metric tag. */
    public enum Reason {
        /** No credentials were presented where they are required (anonymous access off, an API call). */
        MISSING,
        /** Not a compact JWS, or its header or claims are not JSON of the right shape. */
        MALFORMED,
        /** Unsigned ({@code alg: none}) or signed with an algorithm other than the pinned one. */
        ALGORITHM,
        SIGNATURE,
        EXPIRED,
        NOT_YET_VALID,
        ISSUER,
        AUDIENCE,
        /** A required claim is missing, or {@code channels}, {@code publish} or {@code admin} is invalid. */
        CLAIMS,
        /** A token was presented but this server has no key to verify tokens with. */
        NOT_CONFIGURED,
        API_KEY
    }

    private final Reason reason;

    private UnauthorizedException(Reason reason, String message) {
        super(ErrorCode.UNAUTHORIZED, message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The WebSocket close code for this failure: always {@value CloseCodes#UNAUTHORIZED}. */
    public int closeCode() {
        return CloseCodes.UNAUTHORIZED;
    }

    static UnauthorizedException missing() {
        return new UnauthorizedException(Reason.MISSING, "token required");
    }

    static UnauthorizedException missingApiKey() {
        return new UnauthorizedException(Reason.MISSING, "API key or admin token required");
    }

    static UnauthorizedException malformed() {
        return new UnauthorizedException(Reason.MALFORMED, "malformed token");
    }

    static UnauthorizedException encrypted() {
        return new UnauthorizedException(Reason.MALFORMED, "encrypted tokens are not supported");
    }

    static UnauthorizedException unsigned() {
        return new UnauthorizedException(Reason.ALGORITHM, "unsigned token (alg: none) not allowed");
    }

    static UnauthorizedException algorithmNotAllowed() {
        return new UnauthorizedException(Reason.ALGORITHM, "algorithm not allowed");
    }

    static UnauthorizedException badSignature() {
        return new UnauthorizedException(Reason.SIGNATURE, "invalid signature");
    }

    /** No connect frame with a token within the connect timeout. */
    public static UnauthorizedException connectTimeout(long timeoutMillis) {
        return new UnauthorizedException(Reason.MISSING, "no connect frame with a token within " + timeoutMillis + " ms");
    }

    public static UnauthorizedException expired() {
        return new UnauthorizedException(Reason.EXPIRED, "token expired");
    }

    static UnauthorizedException notYetValid() {
        return new UnauthorizedException(Reason.NOT_YET_VALID, "token not yet valid");
    }

    static UnauthorizedException wrongIssuer() {
        return new UnauthorizedException(Reason.ISSUER, "wrong issuer");
    }

    static UnauthorizedException wrongAudience() {
        return new UnauthorizedException(Reason.AUDIENCE, "wrong audience");
    }

    static UnauthorizedException missingClaim(String claim) {
        return new UnauthorizedException(Reason.CLAIMS, "token has no '" + claim + "' claim");
    }

    static UnauthorizedException invalidClaim(String claim) {
        return new UnauthorizedException(Reason.CLAIMS, "invalid '" + claim + "' claim");
    }

    static UnauthorizedException notConfigured() {
        return new UnauthorizedException(Reason.NOT_CONFIGURED, "tokens are not enabled on this server");
    }

    static UnauthorizedException badApiKey() {
        return new UnauthorizedException(Reason.API_KEY, "invalid API key");
    }
}
