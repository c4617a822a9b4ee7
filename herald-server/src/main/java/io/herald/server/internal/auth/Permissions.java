package io.herald.server.internal.auth;

import io.herald.ChannelNames;
import io.herald.HeraldException;
import java.time.Instant;
import java.util.Optional;

/**
 * What one connection may do, from its token or from anonymous access (SPEC §8). Immutable and
 * thread-safe; made once per connection by {@link Authenticator#authenticate}.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>Herald's system channels ({@code $…}, such as {@code $herald:occupancy}): only an admin
 *       token may subscribe, and nobody may publish (Herald writes them);
 *   <li>an admin token may subscribe and publish to every other channel;
 *   <li>a {@code user:<id>} channel belongs to the user whose {@code sub} is exactly {@code <id>}.
 *       Nobody else may use it, whatever the patterns say ({@code user:*} grants only the
 *       holder's own). Its owner may always subscribe to it, listed or not, and may publish to it
 *       only when the {@code publish} patterns match it;
 *   <li>any other channel: when a pattern of the token's {@code channels} ({@code publish}) claim
 *       matches it.
 * </ol>
 * An anonymous connection may subscribe to every channel except {@code user:*} ones and may not
 * publish.
 */
public final class Permissions {
    /** The namespace of per-user channels. */
    public static final String USER_NAMESPACE = "user";
    private static final String USER_PREFIX = USER_NAMESPACE + ":";

    /** What a connection without a token may do, when anonymous access is on. */
    public static final Permissions ANONYMOUS = new Permissions(null);

    private final TokenClaims claims;

    private Permissions(TokenClaims claims) {
        this.claims = claims;
    }

    /** The permissions a verified token grants. */
    public static Permissions of(TokenClaims claims) {
        return new Permissions(claims);
    }

    /** The token's subject; empty for an anonymous connection. */
    public Optional<String> user() {
        return claims == null ? Optional.empty() : Optional.of(claims.subject());
    }

    /** When the token expires; empty for an anonymous connection. A transport closes the connection then with 4001. */
    public Optional<Instant> expiresAt() {
        return claims == null ? Optional.empty() : Optional.of(claims.expiresAt());
    }

    public boolean anonymous() {
        return claims == null;
    }

    public boolean admin() {
        return claims != null && claims.admin();
    }

    /** Whether this connection may subscribe to {@code channel}, a valid channel name. */
    public boolean canSubscribe(String channel) {
        if (ChannelNames.isSystem(channel)) {
            return admin();
        }
        if (claims == null) {
            return !isUserChannel(channel);
        }
        if (claims.admin()) {
            return true;
        }
        if (isUserChannel(channel)) {
            return ownsUserChannel(channel);
        }
        return claims.subscribe().allows(channel);
    }

    /** Whether this connection may publish to {@code channel}, a valid channel name. */
    public boolean canPublish(String channel) {
        if (claims == null || ChannelNames.isSystem(channel)) {
            return false;
        }
        if (claims.admin()) {
            return true;
        }
        if (isUserChannel(channel) && !ownsUserChannel(channel)) {
            return false;
        }
        return claims.publish().allows(channel);
    }

    /** @throws HeraldException {@code forbidden} when {@link #canSubscribe} is false */
    public void checkSubscribe(String channel) {
        if (!canSubscribe(channel)) {
            throw HeraldException.forbidden(ChannelNames.isSystem(channel)
                    ? "'" + channel + "' is a system channel: subscribing needs an admin token"
                    : "not allowed to subscribe to '" + channel + "'");
        }
    }

    /** @throws HeraldException {@code forbidden} when {@link #canPublish} is false */
    public void checkPublish(String channel) {
        if (!canPublish(channel)) {
            throw HeraldException.forbidden(ChannelNames.isSystem(channel)
                    ? "'" + channel + "' is a system channel: only Herald publishes to $ channels"
                    : "not allowed to publish to '" + channel + "'");
        }
    }

    /** Whether {@code channel} is in the {@code user} namespace. */
    public static boolean isUserChannel(String channel) {
        return ChannelNames.namespace(channel).equals(USER_NAMESPACE);
    }

    private boolean ownsUserChannel(String channel) {
        return channel.equals(USER_PREFIX + claims.subject());
    }

    @Override
    public String toString() {
        if (claims == null) {
            return "Permissions{anonymous}";
        }
        return "Permissions{user=" + claims.subject() + ", admin=" + claims.admin() + ", subscribe=" + claims.subscribe()
                + ", publish=" + claims.publish() + ", expiresAt=" + claims.expiresAt() + '}';
    }
}
