package io.herald.server.internal;

import io.herald.CloseCodes;
import io.herald.HeraldException;
import io.herald.server.internal.auth.Permissions;
import io.herald.server.internal.auth.UnauthorizedException;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Who a connection is and what it may do (SPEC §8): the token it authenticated with, the user it
 * counts against in the registry, and the timers that close it when it does not authenticate in
 * time or when its token expires. A connection is one user's: a later authentication must be for
 * the same user (a renewal, with the new permissions), and another user's token is refused.
 *
 * <p>Not thread-safe: confined to the connection's event loop.
 */
final class ConnectionAuth {
    private final ClientConnection connection;
    private final ServerContext server;
    /** What the connection may do; null until it authenticated. */
    private Permissions permissions;
    /** Whether it authenticated with a token (not anonymously): its user can no longer change. */
    private boolean withToken;
    /** The user it counts against in the registry, or null. */
    private String claimedUser;
    /** Closes the connection when its token expires, or when it has not authenticated in time. */
    private ScheduledFuture<?> deadline;

    ConnectionAuth(ClientConnection connection, ServerContext server) {
        this.connection = connection;
        this.server = server;
    }

    /**
     * At open: authenticates at once with the upgrade's token, or anonymously where that is on;
     * otherwise gives the client {@code auth.connectTimeout} to send one. Returns whether it is
     * authenticated now.
     */
    boolean start(String upgradeToken) {
        if (upgradeToken != null || server.config().auth().anonymous()) {
            return authenticate(upgradeToken).isPresent();
        }
        long timeout = server.auth().connectTimeout().toMillis();
        deadline = connection.executor().schedule(() -> refuse(UnauthorizedException.connectTimeout(timeout)), timeout,
                TimeUnit.MILLISECONDS);
        return false;
    }

    Optional<Permissions> permissions() {
        return Optional.ofNullable(permissions);
    }

    /** The permissions, or {@code unauthorized} when the connection has not authenticated yet. */
    Permissions required() {
        if (permissions == null) {
            throw HeraldException.unauthorized("authenticate first: send {\"type\":\"connect\",\"token\":\"…\"}");
        }
        return permissions;
    }

    /**
     * Checks {@code token} (null: anonymous) and makes it the connection's. Returns the new
     * permissions, or empty when the connection was refused and is closing (4001, or 1013 for a
     * user over its connection limit).
     *
     * @throws HeraldException {@code forbidden} for another user's token: nothing changes
     */
    Optional<Permissions> authenticate(String token) {
        Permissions p;
        try {
            p = server.auth().authenticate(token);
        } catch (UnauthorizedException e) {
            refuse(e);
            return Optional.empty();
        }
        String user = p.user().orElse(null);
        if (withToken && !Objects.equals(user, connection.info().user)) {
            throw HeraldException.forbidden("this connection is authenticated as '" + connection.info().user
                    + "'; a token for another user needs its own connection");
        }
        if (user != null && !user.equals(claimedUser)) {
            if (!server.connections().claimUser(user, server.config().maxConnectionsPerUser())) {
                server.badInput(connection.id(), "user_limit", HeraldException.rateLimited("user " + user
                        + " already has " + server.config().maxConnectionsPerUser() + " connections"));
                connection.close(CloseCodes.TRY_AGAIN_LATER, "too many connections for this user");
                return Optional.empty();
            }
            releaseUser();
            claimedUser = user;
        }
        withToken |= token != null;
        permissions = p;
        connection.info().user = user;
        cancelDeadline();
        p.expiresAt().ifPresent(expiry -> {
            long delay = Math.max(0, expiry.toEpochMilli() - server.clock().epochMillis());
            deadline = connection.executor().schedule(() -> refuse(UnauthorizedException.expired()), delay,
                    TimeUnit.MILLISECONDS);
        });
        return Optional.of(p);
    }

    /** Closes with 4001 (or the exception's close code): a missing, invalid or expired token. */
    private void refuse(UnauthorizedException e) {
        connection.info().recordError(e.code().wire() + ": " + e.getMessage());
        server.badInput(connection.id(), e);
        connection.close(e.closeCode(), e.getMessage());
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void releaseUser() {
        if (claimedUser != null) {
            server.connections().releaseUser(claimedUser);
            claimedUser = null;
        }
    }

    /** The connection closed: timers stop, the user's count goes down. */
    void stop() {
        cancelDeadline();
        releaseUser();
    }
}
