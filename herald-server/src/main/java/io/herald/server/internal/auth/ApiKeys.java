package io.herald.server.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The API keys that authorize HTTP publish and admin calls (SPEC §5.3, §8), each with a
 * {@link Role}. Only SHA-256 digests of the keys are kept.
 *
 * <p>{@link #check} compares digests with {@link MessageDigest#isEqual}, which takes the same time
 * wherever two digests differ, and it compares against every key without stopping at a match. As
 * digests have a fixed length, the time taken reveals neither how much of a key was right nor its
 * length. Immutable and thread-safe.
 */
public final class ApiKeys {
    /** What an API key (or an admin token) allows on the HTTP API. */
    public enum Role {
        /** {@code POST /api/publish} and {@code /api/broadcast}. */
        PUBLISH,
        /** Everything: publish, and the admin calls (channels, connections, stats). */
        ADMIN;

        /** Whether this role may make a call that needs {@code needed}: admin implies publish. */
        public boolean grants(Role needed) {
            return this == ADMIN || needed == PUBLISH;
        }
    }

    /** No key: every presented key is refused. */
    public static final ApiKeys NONE = new ApiKeys(List.of());

    private record Entry(byte[] digest, Role role) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * @param publish keys with {@link Role#PUBLISH}
     * @param admin   keys with {@link Role#ADMIN}
     */
    public static ApiKeys of(Collection<String> publish, Collection<String> admin) {
        List<Entry> entries = new ArrayList<>();
        publish.forEach(k -> entries.add(new Entry(digest(k), Role.PUBLISH)));
        admin.forEach(k -> entries.add(new Entry(digest(k), Role.ADMIN)));
        return new ApiKeys(entries);
    }

    /** The role of {@code presented}; empty when it is no configured key (or null or empty). */
    public Optional<Role> check(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] d = digest(presented);
        Role found = null;
        for (Entry e : entries) {
            // no early exit, so the time does not tell which key matched
            if (MessageDigest.isEqual(d, e.digest()) && found != Role.ADMIN) {
                found = e.role();
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public String toString() {
        long admin = entries.stream().filter(e -> e.role() == Role.ADMIN).count();
        return "ApiKeys{publish=" + (entries.size() - admin) + ", admin=" + admin + '}';
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
