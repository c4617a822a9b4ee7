package io.herald.server.internal.auth;

import io.herald.ChannelNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The channels a token's {@code channels} or {@code publish} claim grants, as patterns:
 *
 * <ul>
 *   <li>a channel name matches itself exactly: {@code settings:global};
 *   <li>{@code *} matches any run of characters, none included, that holds no {@code :}. So
 *       {@code scan:*} matches {@code scan:42} but not {@code scan:42:hosts}, and a lone {@code *}
 *       matches only channels without a namespace;
 *   <li>{@code **} matches any run of characters, {@code :} included: {@code scan:**} matches every
 *       channel of namespace {@code scan}, and {@code **} matches every channel.
 * </ul>
 *
 * <p>No other character is special: {@code #}, {@code .} and {@code /} are valid in channel names
 * and match only themselves. A pattern is 1–255 characters of channel-name characters and
 * {@code *}, with no run of three stars. Patterns alone never grant another user's {@code user:}
 * channel; {@link Permissions} adds that rule.
 *
 * <p>Matching costs O(pattern × channel length) per wildcard pattern and never backtracks, so a
 * crafted pattern cannot stall an event loop. Immutable and thread-safe.
 */
public final class ChannelPatterns {
    /** The most patterns one claim may hold. */
    public static final int MAX_PATTERNS = 1000;

    /** Grants nothing. */
    public static final ChannelPatterns NONE = new ChannelPatterns(List.of());

    private final List<String> patterns;
    private final Set<String> exact;
    private final List<String> wildcards;

    private ChannelPatterns(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        Set<String> e = new HashSet<>();
        List<String> w = new ArrayList<>();
        for (String p : patterns) {
            if (p.indexOf('*') < 0) {
                e.add(p);
            } else {
                w.add(p);
            }
        }
        exact = Set.copyOf(e);
        wildcards = List.copyOf(w);
    }

    /**
     * @throws IllegalArgumentException naming the first invalid pattern by position, or when there
     *                                  are more than {@value #MAX_PATTERNS}
     */
    public static ChannelPatterns of(Collection<String> patterns) {
        if (patterns.size() > MAX_PATTERNS) {
            throw new IllegalArgumentException("more than " + MAX_PATTERNS + " patterns");
        }
        List<String> valid = new ArrayList<>(patterns.size());
        int i = 0;
        for (String p : patterns) {
            if (!isValid(p)) {
                throw new IllegalArgumentException("pattern " + i + " is not a channel pattern");
            }
            valid.add(p);
            i++;
        }
        return valid.isEmpty() ? NONE : new ChannelPatterns(valid);
    }

    /** Whether {@code pattern} is a valid pattern (see the class comment). */
    public static boolean isValid(String pattern) {
        if (pattern == null || pattern.contains("***")) {
            return false;
        }
        // a star stands where channel characters would, so replacing it must leave a valid name
        return ChannelNames.isValid(pattern.replace('*', 'x'));
    }

    /** Whether some pattern matches {@code channel}. */
    public boolean allows(String channel) {
        if (exact.contains(channel)) {
            return true;
        }
        for (String w : wildcards) {
            if (matches(w, channel)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** The patterns as given, in order. */
    public List<String> patterns() {
        return patterns;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelPatterns other && patterns.equals(other.patterns);
    }

    @Override
    public int hashCode() {
        return patterns.hashCode();
    }

    @Override
    public String toString() {
        return patterns.toString();
    }

    /**
     * Glob matching by dynamic programming over channel positions: {@code reach[j]} says whether
     * the pattern read so far can match the first {@code j} characters of the channel.
     */
    static boolean matches(String pattern, String channel) {
        int star = pattern.indexOf('*');
        if (!channel.startsWith(pattern.substring(0, star))) {
            return false; // cheap reject on the literal prefix, the common case
        }
        int n = channel.length();
        boolean[] reach = new boolean[n + 1];
        boolean[] next = new boolean[n + 1];
        reach[0] = true;
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            boolean any = false;
            if (c == '*') {
                boolean crossesColon = i + 1 < pattern.length() && pattern.charAt(i + 1) == '*';
                i += crossesColon ? 2 : 1;
                next[0] = reach[0];
                any = next[0];
                for (int j = 1; j <= n; j++) {
                    next[j] = reach[j] || (next[j - 1] && (crossesColon || channel.charAt(j - 1) != ':'));
                    any |= next[j];
                }
            } else {
                i++;
                next[0] = false;
                for (int j = 1; j <= n; j++) {
                    next[j] = reach[j - 1] && channel.charAt(j - 1) == c;
                    any |= next[j];
                }
            }
            if (!any) {
                return false;
            }
            boolean[] t = reach;
            reach = next;
            next = t;
        }
        return reach[n];
    }
}
