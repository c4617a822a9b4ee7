package io.herald.server.internal.cli;

import io.herald.HeraldClock;
import io.herald.server.AuthConfig;
import io.herald.server.internal.auth.TokenMinter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What {@code herald serve} prints when it runs with {@link DevCredentials}: a {@code wscat} line
 * with a short-lived token and a {@code curl} line with the admin key, ready to paste, so that a
 * new user sees a message arrive without configuring anything; and where the dashboard is.
 */
final class DevQuickStart {
    /** The channel the printed lines subscribe and publish to. */
    static final String CHANNEL = "demo:1";
    /** The user of the printed token. */
    static final String USER = "dev";
    /** What the printed token may subscribe to. */
    static final String CHANNELS = "demo:*";
    /** How long the printed token is valid: long enough to try things, short enough not to linger. */
    static final Duration TOKEN_TTL = Duration.ofHours(1);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm z");

    private DevQuickStart() {
    }

    /**
     * The lines to print for a server on {@code host}:{@code port} whose authentication is
     * {@code auth}, which holds {@code credentials} (read from {@code file}).
     */
    static List<String> lines(AuthConfig auth, DevCredentials credentials, Path file, String host, int port,
            HeraldClock clock) {
        String token = TokenMinter.create(auth, clock).mint(USER, List.of(CHANNELS), List.of(), false, TOKEN_TTL);
        String expires = TIME.format(Instant.ofEpochMilli(clock.epochMillis()).plus(TOKEN_TTL).atZone(ZoneId.systemDefault()));
        String address = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        return List.of(
                "",
                "Herald is listening on " + address + " with development credentials from " + file + ".",
                "Subscribe (this token, for user '" + USER + "' and channels " + CHANNELS + ", expires in "
                        + TOKEN_TTL.toHours() + " h, at " + expires + "; for another:"
                        + " ./herald token --sub " + USER + " --channels '" + CHANNELS + "'):",
                "  wscat -c \"ws://" + address + "/ws/" + CHANNEL + "?token=" + token + "\"",
                "Publish (the admin key, also good for every /api call):",
                "  curl -H \"X-Api-Key: " + credentials.adminKey() + "\" -d '{\"channel\":\"" + CHANNEL
                        + "\",\"event\":\"hello\",\"data\":{}}' " + address + "/api/publish",
                "Dashboard (enter the admin key): http://" + address + "/",
                "");
    }
}
