package io.herald;

/**
 * Channel names (SPEC §2): {@code namespace:name}, 1–255 characters of {@code [A-Za-z0-9_.:@#/-]}.
 * The namespace is everything before the first {@code ':'}; a name without one belongs to the
 * empty namespace and takes the default options. A name may also start with {@code '$'}: Herald's
 * own system channels (such as {@code $herald:occupancy}), which only Herald publishes to and only
 * admins may subscribe to.
 */
public final class ChannelNames {
    /** The longest channel name accepted, in characters. */
    public static final int MAX_LENGTH = 255;

    private static final boolean[] ALLOWED = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            ALLOWED[c] = true;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            ALLOWED[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            ALLOWED[c] = true;
        }
        for (char c : "_.:@#/-".toCharArray()) {
            ALLOWED[c] = true;
        }
    }

    private ChannelNames() {
    }

    /** Whether {@code name} is a valid channel name. */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ((c >= 128 || !ALLOWED[c]) && !(c == '$' && i == 0 && name.length() > 1)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code name} is one of Herald's own system channels ({@code $…}). */
    public static boolean isSystem(String name) {
        return name.startsWith("$");
    }

    /**
     * Returns {@code name} when it is valid.
     *
     * @throws HeraldException {@link ErrorCode#BAD_REQUEST} naming what is wrong; a pattern such as
     *     {@code task:*} is told that wildcards belong in tokens, not in a channel name
     */
    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw HeraldException.badRequest("channel name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw HeraldException.badRequest("channel name is longer than " + MAX_LENGTH + " characters");
        }
        if (name.indexOf('*') >= 0 && isValid(name.replace('*', 'x'))) {
            throw HeraldException.badRequest("wildcards are not supported in a channel name ('" + abbreviate(name)
                    + "'): channel patterns such as task:* are for tokens; subscribe to a channel name");
        }
        if (!isValid(name)) {
            throw HeraldException.badRequest(
                    "invalid channel name '" + abbreviate(name) + "': allowed characters are A-Z a-z 0-9 _ . : @ # / -"
                            + " (and a leading $ for Herald's own system channels)");
        }
        return name;
    }

    /** The namespace of a valid channel name: the part before the first {@code ':'}, or {@code ""}. */
    public static String namespace(String channel) {
        int colon = channel.indexOf(':');
        return colon < 0 ? "" : channel.substring(0, colon);
    }

    private static String abbreviate(String name) {
        String shown = name.length() > 64 ? name.substring(0, 64) + "…" : name;
        StringBuilder sb = new StringBuilder(shown.length());
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
