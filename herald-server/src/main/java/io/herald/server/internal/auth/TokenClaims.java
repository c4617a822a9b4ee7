package io.herald.server.internal.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * What a verified connection token grants. Only {@link TokenVerifier} makes these, after the
 * signature, the times, the issuer and the audience have been checked.
 *
 * <p>Claims read (anything else is ignored):
 * <ul>
 *   <li>{@code sub} (required): the user, which owns channel {@code user:<sub>};
 *   <li>{@code exp} (required): a token without it is refused, so that a leaked token cannot work
 *       forever; long-lived server credentials are API keys instead;
 *   <li>{@code nbf} (optional): not valid before;
 *   <li>{@code channels}, {@code publish} (optional JSON arrays of strings, default empty): the
 *       {@link ChannelPatterns} the client may subscribe and publish to;
 *   <li>{@code admin} (optional JSON boolean, default false): every channel, and the HTTP API.
 * </ul>
 *
 * @param subject   the {@code sub} claim, never blank
 * @param expiresAt when the token stops being valid (the {@code exp} claim, without skew)
 * @param subscribe the {@code channels} claim
 * @param publish   the {@code publish} claim
 * @param admin     the {@code admin} claim
 */
public record TokenClaims(String subject, Instant expiresAt, ChannelPatterns subscribe, ChannelPatterns publish,
        boolean admin) {

    /** Claim names Herald reads besides the registered ones. */
    public static final String CHANNELS = "channels";
    public static final String PUBLISH = "publish";
    public static final String ADMIN = "admin";

    public TokenClaims {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(subscribe, "subscribe");
        Objects.requireNonNull(publish, "publish");
    }
}
