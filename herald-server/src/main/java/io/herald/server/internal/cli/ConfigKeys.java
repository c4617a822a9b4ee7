package io.herald.server.internal.cli;

import io.herald.HeraldConfig;
import io.herald.NamespaceOptions;
import io.herald.server.AuthConfig;
import io.herald.server.JwtAlgorithm;
import io.herald.server.ServerConfig;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The configuration keys Herald knows: for each, its dotted path and how its value is parsed and
 * applied to a builder. The config file, the {@code HERALD_*} environment variables and
 * {@code --set} all use these paths.
 */
final class ConfigKeys {
    static final String PRESET = "preset";
    static final String LOG_LEVEL = "log.level";
    /** A mapping of logger (package) names to levels; its keys are not known in advance. */
    static final String LOG_LEVELS = "log.levels";
    /** Namespace options that apply to every namespace. */
    static final String DEFAULTS = "defaults";
    /** A mapping of namespace names to their own options; its keys are not known in advance. */
    static final String NAMESPACES = "namespaces";
    /** The environment variable that names the config file when {@code --config} is not given. */
    static final String CONFIG_VARIABLE = "HERALD_CONFIG";

    /** Settings of the Netty server, by path. */
    static final Map<String, Option<ServerConfig.Builder>> SERVER = byPath(List.of(
            Option.scalar("host", String::trim, ServerConfig.Builder::host),
            Option.scalar("port", Units::integer, ServerConfig.Builder::port),
            Option.scalar("ioThreads", Units::integer, ServerConfig.Builder::ioThreads),
            Option.scalar("heartbeat.interval", Units::duration, ServerConfig.Builder::heartbeatInterval),
            Option.scalar("heartbeat.timeout", Units::duration, ServerConfig.Builder::heartbeatTimeout),
            Option.scalar("drainTimeout", Units::duration, ServerConfig.Builder::drainTimeout),
            Option.scalar("limits.maxMessageSize", Units::intSize, ServerConfig.Builder::maxMessageSize),
            Option.scalar("limits.maxRequestSize", Units::intSize, ServerConfig.Builder::maxRequestSize),
            Option.scalar("limits.maxConnections", Units::integer, ServerConfig.Builder::maxConnections),
            Option.scalar("limits.maxConnectionsPerIp", Units::integer, ServerConfig.Builder::maxConnectionsPerIp),
            Option.scalar("limits.maxConnectionsPerUser", Units::integer, ServerConfig.Builder::maxConnectionsPerUser),
            Option.scalar("limits.inboundRate", Units::integer, ServerConfig.Builder::inboundRate),
            Option.scalar("limits.maxSubscriptions", Units::integer, ServerConfig.Builder::maxSubscriptions),
            Option.scalar("limits.maxFragments", Units::integer, ServerConfig.Builder::maxFragments),
            Option.scalar("limits.maxHeaderSize", Units::intSize, ServerConfig.Builder::maxHeaderSize),
            Option.scalar("limits.handshakeTimeout", Units::duration, ServerConfig.Builder::handshakeTimeout),
            Option.scalar("limits.keepAliveTimeout", Units::duration, ServerConfig.Builder::keepAliveTimeout),
            Option.scalar("compression.enabled", Units::bool, ServerConfig.Builder::compression),
            Option.scalar("compression.threshold", Units::intSize, ServerConfig.Builder::compressionThreshold),
            Option.scalar("shutdown.reconnectAfter", Units::duration, ServerConfig.Builder::reconnectAfter),
            Option.scalar("shutdown.reconnectJitter", Units::duration, ServerConfig.Builder::reconnectJitter),
            Option.scalar("occupancy.webhook", ConfigKeys::url, ServerConfig.Builder::occupancyWebhook)));

    /** Settings of the core itself that are not per namespace, by full path. */
    static final Map<String, Option<HeraldConfig.Builder>> CORE = byPath(List.of(
            Option.scalar("stats.window", Units::duration, HeraldConfig.Builder::statsWindow),
            Option.scalar("node.id", String::strip, HeraldConfig.Builder::nodeId)));

    private static java.net.URI url(String text) {
        try {
            return new java.net.URI(text.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage());
        }
    }

    /**
     * Authentication settings (SPEC §8), by full path. Secrets ({@code auth.jwt.secret}, the API keys)
     * are never part of a message: their parsers cannot fail, and {@link AuthConfig} names them by key
     * only. API keys are two lists, one per role, so that no key has to be split from its role.
     */
    static final Map<String, Option<AuthConfig.Builder>> AUTH = byPath(List.of(
            Option.scalar("auth.anonymous", Units::bool, AuthConfig.Builder::anonymous),
            Option.scalar("auth.jwt.algorithm", JwtAlgorithm::of, AuthConfig.Builder::jwtAlgorithm),
            Option.scalar("auth.jwt.secret", String::strip, AuthConfig.Builder::jwtSecret),
            Option.scalar("auth.jwt.publicKey", String::strip, AuthConfig.Builder::jwtPublicKey),
            Option.scalar("auth.jwt.publicKeyFile", t -> Path.of(t.strip()), AuthConfig.Builder::jwtPublicKeyFile),
            Option.scalar("auth.jwt.issuer", String::strip, AuthConfig.Builder::issuer),
            Option.scalar("auth.jwt.audience", String::strip, AuthConfig.Builder::audience),
            Option.scalar("auth.jwt.clockSkew", Units::duration, AuthConfig.Builder::clockSkew),
            Option.list("auth.apiKeys.publish", AuthConfig.Builder::publishApiKeys),
            Option.list("auth.apiKeys.admin", AuthConfig.Builder::adminApiKeys),
            Option.scalar("auth.connectTimeout", Units::duration, AuthConfig.Builder::connectTimeout),
            Option.orderedList("allowedOrigins", AuthConfig.Builder::allowedOrigins),
            Option.scalar("auth.strictOrigin", Units::bool, AuthConfig.Builder::strictOrigin)));

    /** Where history is kept (global, not per namespace): memory, or a disk store and its flush interval. */
    static final Map<String, Option<StorageConfig.Builder>> STORAGE = byPath(List.of(
            Option.scalar("history.store", StorageConfig.Store::of, StorageConfig.Builder::store),
            Option.scalar("history.dir", t -> Path.of(t.strip()), StorageConfig.Builder::dir),
            Option.scalar("history.flushInterval", Units::duration, StorageConfig.Builder::flushInterval)));

    /**
     * Whether {@code path} says who may connect or publish: {@code auth.jwt.*}, {@code auth.apiKeys.*}
     * or {@code auth.anonymous}. Any of them set means that the operator configured authentication.
     */
    static boolean isCredential(String path) {
        return path.startsWith("auth.jwt.") || path.startsWith("auth.apiKeys.") || path.equals("auth.anonymous");
    }

    /** Delivery options of a namespace, by path relative to {@code defaults} or {@code namespaces.<name>}. */
    static final Map<String, Option<NamespaceOptions.Builder>> NAMESPACE = byPath(List.of(
            Option.scalar("batch.interval", Units::duration, NamespaceOptions.Builder::batchInterval),
            Option.scalar("batch.maxSize", Units::integer, NamespaceOptions.Builder::batchMaxSize),
            Option.scalar("throttle.rate", Units::integer, NamespaceOptions.Builder::throttleRate),
            Option.list("critical", NamespaceOptions.Builder::critical),
            Option.list("coalesce", NamespaceOptions.Builder::coalesce),
            Option.list("completeOn", NamespaceOptions.Builder::completeOn),
            Option.scalar("cleanupDelay", Units::duration, NamespaceOptions.Builder::cleanupDelay),
            Option.scalar("history.size", Units::integer, NamespaceOptions.Builder::historySize),
            Option.scalar("history.ttl", Units::duration, NamespaceOptions.Builder::historyTtl),
            Option.scalar("retained", Units::bool, NamespaceOptions.Builder::retained),
            Option.scalar("retainedMaxKeys", Units::integer, NamespaceOptions.Builder::retainedMaxKeys),
            Option.scalar("outboundBuffer", Units::size, NamespaceOptions.Builder::outboundBufferBytes)));

    /** Every path allowed outside {@code namespaces} and {@code log.levels}. */
    static final Set<String> GLOBAL = globalPaths();

    /** Every path allowed inside one namespace: its options and its own {@code preset}. */
    static final Set<String> IN_NAMESPACE = inNamespacePaths();

    /** Environment variable name to path, for every path in {@link #GLOBAL}. */
    static final Map<String, String> ENVIRONMENT = environmentNames();

    private ConfigKeys() {
    }

    /** Whether {@code path} is a mapping that holds some of {@code keys}, e.g. {@code heartbeat}. */
    static boolean isBranch(Collection<String> keys, String path) {
        String p = path + ".";
        return keys.stream().anyMatch(k -> k.startsWith(p));
    }

    /** {@code HERALD_} and the path in upper snake case: {@code limits.maxMessageSize -> HERALD_LIMITS_MAX_MESSAGE_SIZE}. */
    static String environmentName(String path) {
        StringBuilder sb = new StringBuilder("HERALD_");
        for (char c : path.toCharArray()) {
            if (c == '.') {
                sb.append('_');
            } else if (Character.isUpperCase(c)) {
                sb.append('_').append(c);
            } else {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    /** The known key closest to a mistyped {@code path}, if one is within two edits. */
    static Optional<String> suggest(String path) {
        Collection<String> candidates = GLOBAL;
        if (path.startsWith(NAMESPACES + ".")) {
            String rest = path.substring(NAMESPACES.length() + 1);
            int dot = rest.indexOf('.');
            String prefix = NAMESPACES + "." + (dot < 0 ? rest : rest.substring(0, dot)) + ".";
            candidates = IN_NAMESPACE.stream().map(k -> prefix + k).toList();
        }
        String best = null;
        int bestDistance = 3;
        for (String c : candidates) {
            int d = editDistance(path, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static <B> Map<String, Option<B>> byPath(List<Option<B>> options) {
        Map<String, Option<B>> m = new LinkedHashMap<>();
        options.forEach(o -> m.put(o.path(), o));
        return Collections.unmodifiableMap(m);
    }

    private static Set<String> globalPaths() {
        Set<String> s = new LinkedHashSet<>();
        s.add(PRESET);
        s.addAll(SERVER.keySet());
        s.addAll(AUTH.keySet());
        s.addAll(STORAGE.keySet());
        s.addAll(CORE.keySet());
        s.add(LOG_LEVEL);
        NAMESPACE.keySet().forEach(k -> s.add(DEFAULTS + "." + k));
        return Collections.unmodifiableSet(s);
    }

    private static Set<String> inNamespacePaths() {
        Set<String> s = new LinkedHashSet<>();
        s.add(PRESET);
        s.addAll(NAMESPACE.keySet());
        return Collections.unmodifiableSet(s);
    }

    private static Map<String, String> environmentNames() {
        Map<String, String> m = new TreeMap<>();
        GLOBAL.forEach(p -> m.put(environmentName(p), p));
        return Collections.unmodifiableMap(m);
    }

    /**
     * One key and how to apply a {@link Setting} for it to a builder of type {@code B}.
     *
     * @throws IllegalArgumentException from {@link #apply} when the value cannot be parsed
     */
    record Option<B>(String path, BiConsumer<B, Setting> applier) {

        static <B, T> Option<B> scalar(String path, Function<String, T> parser, BiConsumer<B, T> setter) {
            return new Option<>(path, (b, s) -> setter.accept(b, parser.apply(s.text())));
        }

        static <B> Option<B> list(String path, BiConsumer<B, Set<String>> setter) {
            return new Option<>(path, (b, s) -> setter.accept(b, Set.copyOf(s.items())));
        }

        /** A list whose order is kept, e.g. for display. */
        static <B> Option<B> orderedList(String path, BiConsumer<B, List<String>> setter) {
            return new Option<>(path, (b, s) -> setter.accept(b, s.items()));
        }

        void apply(B builder, Setting setting) {
            applier.accept(builder, setting);
        }
    }
}
