package io.herald.server.internal.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a WebSocket upgrade may proceed given its {@code Origin} header (SPEC §8), so that
 * a page on another site cannot open a connection from a visitor's browser.
 *
 * <p>Allowed: a request without {@code Origin} (browsers always send one on a WebSocket upgrade, so
 * these are servers and tools, which can set any header anyway); unless strict, a same-origin
 * request, whose {@code Origin} names the host and port of its {@code Host} header (a page served on
 * Herald's host); an origin in the configured list; anything when the list holds {@code *}.
 * Everything else, including {@code Origin: null} from sandboxed frames and files, is refused.
 *
 * <p>Strict mode exists for DNS rebinding: the {@code Host} header is whatever name the browser
 * used, so a page on {@code evil.example} whose DNS its owner points at this server's address sends
 * {@code Origin: http://evil.example} with {@code Host: evil.example}, which the same-origin rule
 * lets through. Immutable and thread-safe.
 */
public final class OriginPolicy {
    /** The list entry that allows every origin. */
    public static final String ANY = "*";

    private final Set<String> allowed;
    private final boolean any;
    private final boolean strict;

    private OriginPolicy(List<String> allowedOrigins, boolean strict) {
        allowed = Set.copyOf(allowedOrigins.stream().map(OriginPolicy::normalize).toList());
        any = allowed.contains(ANY);
        this.strict = strict;
    }

    /**
     * A policy that also allows same-origin requests.
     *
     * @param allowedOrigins origins such as {@code https://app.example.com}, or {@code *}
     * @throws IllegalArgumentException when an entry is not an origin
     */
    public static OriginPolicy of(List<String> allowedOrigins) {
        return new OriginPolicy(allowedOrigins, false);
    }

    /**
     * @param allowedOrigins origins such as {@code https://app.example.com}, or {@code *}
     * @param strict         when true, an {@code Origin} that matches the {@code Host} is not enough
     * @throws IllegalArgumentException when an entry is not an origin
     */
    public static OriginPolicy of(List<String> allowedOrigins, boolean strict) {
        return new OriginPolicy(allowedOrigins, strict);
    }

    /**
     * Whether an upgrade with these headers may proceed.
     *
     * @param origin the {@code Origin} header, or {@code null} when absent
     * @param host   the {@code Host} header, or {@code null} when absent
     */
    public boolean allows(String origin, String host) {
        if (origin == null || origin.isEmpty() || any) {
            return true;
        }
        URI o = parse(origin.trim());
        if (o == null) {
            return false;
        }
        return allowed.contains(canonical(o)) || (!strict && sameOrigin(o, host));
    }

    /**
     * The canonical form of a configured origin: lower case {@code scheme://host[:port]}, without the
     * scheme's default port; {@code *} stays {@code *}.
     *
     * @throws IllegalArgumentException whose message completes "allowedOrigins must ..."
     */
    public static String normalize(String origin) {
        String t = origin.trim();
        if (t.equals(ANY)) {
            return ANY;
        }
        URI u = parse(t);
        if (u == null) {
            throw new IllegalArgumentException("hold origins such as https://app.example.com (scheme://host[:port],"
                    + " no path) or *, was '" + origin + "'");
        }
        return canonical(u);
    }

    /** An http(s) URI with a host and nothing after the authority, or {@code null}. */
    private static URI parse(String text) {
        try {
            URI u = new URI(text);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = (u.getRawPath() == null || u.getRawPath().isEmpty()) && u.getRawQuery() == null
                    && u.getRawFragment() == null && u.getRawUserInfo() == null;
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || !bare) {
                return null;
            }
            return u;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String canonical(URI u) {
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort();
        String host = u.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + (port < 0 || port == defaultPort(scheme) ? "" : ":" + port);
    }

    private static boolean sameOrigin(URI origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String scheme = origin.getScheme().toLowerCase(Locale.ROOT);
        URI h = parse(scheme + "://" + host.trim());
        if (h == null) {
            return false;
        }
        int originPort = origin.getPort() < 0 ? defaultPort(scheme) : origin.getPort();
        int hostPort = h.getPort() < 0 ? defaultPort(scheme) : h.getPort();
        return origin.getHost().equalsIgnoreCase(h.getHost()) && originPort == hostPort;
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }
}
