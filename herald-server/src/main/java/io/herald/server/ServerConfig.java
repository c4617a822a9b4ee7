package io.herald.server;

import io.herald.Preset;
import java.time.Duration;

// Over 300 lines on purpose: an immutable config with its builder, each setting's accessor,
// setter and validation side by side (STYLE: config is immutable, validated at build time).
/**
 * Settings of the Netty server: where it listens, heartbeats, limits, compression, shutdown and
 * authentication ({@link #auth()}).
 * Immutable; build with {@link #newBuilder()} or {@link #toBuilder()}. Every field has a
 * {@code DEFAULT_*}; {@link Builder#build()} validates and names the offending key.
 */
public final class ServerConfig {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;
    public static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 100_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 100;
    public static final int DEFAULT_INBOUND_RATE = 100;
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 128;
    public static final int DEFAULT_MAX_FRAGMENTS = 128;
    public static final int DEFAULT_MAX_HEADER_SIZE = 8192;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Longer than the idle timeout of common load balancers (60 s), so that a balancer never reuses
     * a connection Herald is closing; the same as nginx's {@code keepalive_timeout}.
     */
    public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(75);
    public static final boolean DEFAULT_COMPRESSION = true;
    public static final int DEFAULT_COMPRESSION_THRESHOLD = 1024;
    /** The earliest a client is asked to reconnect after a shutdown; the latest is this plus the jitter. */
    public static final Duration DEFAULT_RECONNECT_AFTER = Duration.ofMillis(500);
    public static final Duration DEFAULT_RECONNECT_JITTER = Duration.ofSeconds(4);

    private final String host;
    private final int port;
    private final int ioThreads;
    private final Duration heartbeatInterval;
    private final Duration heartbeatTimeout;
    private final Duration drainTimeout;
    private final int maxMessageSize;
    private final int maxRequestSize;
    private final int maxConnections;
    private final int maxConnectionsPerIp;
    private final int maxConnectionsPerUser;
    private final int inboundRate;
    private final int maxSubscriptions;
    private final int maxFragments;
    private final int maxHeaderSize;
    private final Duration handshakeTimeout;
    private final Duration keepAliveTimeout;
    private final boolean compression;
    private final int compressionThreshold;
    private final Duration reconnectAfter;
    private final Duration reconnectJitter;
    private final java.net.URI occupancyWebhook;
    private final AuthConfig auth;

    private ServerConfig(Builder b) {
        host = b.host;
        port = b.port;
        ioThreads = b.ioThreads;
        heartbeatInterval = b.heartbeatInterval;
        heartbeatTimeout = b.heartbeatTimeout;
        drainTimeout = b.drainTimeout;
        maxMessageSize = b.maxMessageSize;
        maxRequestSize = b.maxRequestSize;
        maxConnections = b.maxConnections;
        maxConnectionsPerIp = b.maxConnectionsPerIp;
        maxConnectionsPerUser = b.maxConnectionsPerUser;
        inboundRate = b.inboundRate;
        maxSubscriptions = b.maxSubscriptions;
        maxFragments = b.maxFragments;
        maxHeaderSize = b.maxHeaderSize;
        handshakeTimeout = b.handshakeTimeout;
        keepAliveTimeout = b.keepAliveTimeout;
        compression = b.compression;
        compressionThreshold = b.compressionThreshold;
        reconnectAfter = b.reconnectAfter;
        reconnectJitter = b.reconnectJitter;
        occupancyWebhook = b.occupancyWebhook;
        auth = b.auth;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.ioThreads = ioThreads;
        b.heartbeatInterval = heartbeatInterval;
        b.heartbeatTimeout = heartbeatTimeout;
        b.drainTimeout = drainTimeout;
        b.maxMessageSize = maxMessageSize;
        b.maxRequestSize = maxRequestSize;
        b.maxConnections = maxConnections;
        b.maxConnectionsPerIp = maxConnectionsPerIp;
        b.maxConnectionsPerUser = maxConnectionsPerUser;
        b.inboundRate = inboundRate;
        b.maxSubscriptions = maxSubscriptions;
        b.maxFragments = maxFragments;
        b.maxHeaderSize = maxHeaderSize;
        b.handshakeTimeout = handshakeTimeout;
        b.keepAliveTimeout = keepAliveTimeout;
        b.compression = compression;
        b.compressionThreshold = compressionThreshold;
        b.reconnectAfter = reconnectAfter;
        b.reconnectJitter = reconnectJitter;
        b.occupancyWebhook = occupancyWebhook;
        b.auth = auth;
        return b;
    }

    /** Address to bind (default {@code 127.0.0.1}). */
    public String host() {
        return host;
    }

    /** Port to bind; 0 picks a free one (default 8080). */
    public int port() {
        return port;
    }

    /** Event-loop threads for connections; 0 means one per core (default 0). */
    public int ioThreads() {
        return ioThreads;
    }

    /** How often the server sends {@code ping} (default 5 s). */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** A connection with no client frame for this long is closed with 4002 (default 30 s). */
    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    /** How long a graceful shutdown may take before remaining connections are cut (default 10 s). */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /** Largest inbound WebSocket message in bytes; larger closes with 1009 (default 64 KiB). */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** Largest HTTP API request body in bytes; larger is answered 413 (default 1 MiB). */
    public int maxRequestSize() {
        return maxRequestSize;
    }

    /** Most WebSocket connections at once; more are refused with 503 {@code unavailable} (default 100,000). */
    public int maxConnections() {
        return maxConnections;
    }

    /** Most WebSocket connections from one IP address; more are refused with 429 {@code rate_limited} (default 10,000). */
    public int maxConnectionsPerIp() {
        return maxConnectionsPerIp;
    }

    /** Most connections of one token subject; more close with 1013 (default 100). */
    public int maxConnectionsPerUser() {
        return maxConnectionsPerUser;
    }

    /** Client frames per second one connection may send; beyond, commands are answered {@code rate_limited}, and a client that keeps going is closed with 1008 (default 100). */
    public int inboundRate() {
        return inboundRate;
    }

    /**
     * Most channels one connection may be subscribed to at once; another {@code subscribe} is
     * answered {@code rate_limited} (default 128). With the outbound buffer it bounds what one
     * connection can hold in memory (docs/ARCHITECTURE.md, "Memory bound").
     */
    public int maxSubscriptions() {
        return maxSubscriptions;
    }

    /** Most frames one fragmented message may span; more closes with 1009 (default 128). */
    public int maxFragments() {
        return maxFragments;
    }

    /** Largest HTTP header block in bytes; larger is answered 431 (default 8 KiB). */
    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    /**
     * How long a client has to send a complete HTTP request or upgrade, counted from accept for the
     * first request (a connection that says nothing is closed too) and from the first byte for the
     * next ones on a keep-alive connection (slowloris guard, default 10 s).
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * How long an HTTP keep-alive connection may wait, after a response, for the first byte of its
     * next request before it is closed (default 75 s, longer than common load balancers' idle timeout).
     */
    public Duration keepAliveTimeout() {
        return keepAliveTimeout;
    }

    /** Whether permessage-deflate is negotiated when the client offers it (default on). */
    public boolean compression() {
        return compression;
    }

    /** Frames smaller than this many bytes go uncompressed (default 1 KiB). */
    public int compressionThreshold() {
        return compressionThreshold;
    }

    /** The least {@code reconnectAfterMs} sent on shutdown (default 500 ms). */
    public Duration reconnectAfter() {
        return reconnectAfter;
    }

    /** Random extra delay, up to this, added per client on shutdown so they do not return at once (default 4 s). */
    public Duration reconnectJitter() {
        return reconnectJitter;
    }

    /**
     * Where Herald POSTs occupancy changes ({@code occupancy.webhook}): {@code {"event":"occupied"|"vacant",
     * "channel":…,"ts":…}} when a channel gains its first subscriber on this node or loses its last;
     * empty (the default) for none.
     */
    public java.util.Optional<java.net.URI> occupancyWebhook() {
        return java.util.Optional.ofNullable(occupancyWebhook);
    }

    /** Who may connect, subscribe, publish and call the API (default {@link AuthConfig#DEFAULTS}: nobody until configured). */
    public AuthConfig auth() {
        return auth;
    }

    @Override
    public String toString() {
        return "ServerConfig{host=" + host + ", port=" + port + ", ioThreads=" + ioThreads
                + ", heartbeatInterval=" + heartbeatInterval + ", heartbeatTimeout=" + heartbeatTimeout
                + ", drainTimeout=" + drainTimeout + ", maxMessageSize=" + maxMessageSize
                + ", maxRequestSize=" + maxRequestSize + ", maxConnections=" + maxConnections
                + ", maxConnectionsPerIp=" + maxConnectionsPerIp + ", maxConnectionsPerUser=" + maxConnectionsPerUser
                + ", inboundRate=" + inboundRate + ", maxSubscriptions=" + maxSubscriptions + ", maxFragments=" + maxFragments + ", maxHeaderSize=" + maxHeaderSize
                + ", handshakeTimeout=" + handshakeTimeout + ", keepAliveTimeout=" + keepAliveTimeout
                + ", compression=" + compression + ", compressionThreshold=" + compressionThreshold
                + ", reconnectAfter=" + reconnectAfter
                + ", reconnectJitter=" + reconnectJitter + ", occupancyWebhook=" + occupancyWebhook + ", auth=" + auth + '}';
    }

    /** Builds a {@link ServerConfig}. Not thread-safe. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private int ioThreads;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxRequestSize = DEFAULT_MAX_REQUEST_SIZE;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;
        private int maxConnectionsPerUser = DEFAULT_MAX_CONNECTIONS_PER_USER;
        private int inboundRate = DEFAULT_INBOUND_RATE;
        private int maxSubscriptions = DEFAULT_MAX_SUBSCRIPTIONS;
        private int maxFragments = DEFAULT_MAX_FRAGMENTS;
        private int maxHeaderSize = DEFAULT_MAX_HEADER_SIZE;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration keepAliveTimeout = DEFAULT_KEEP_ALIVE_TIMEOUT;
        private boolean compression = DEFAULT_COMPRESSION;
        private int compressionThreshold = DEFAULT_COMPRESSION_THRESHOLD;
        private Duration reconnectAfter = DEFAULT_RECONNECT_AFTER;
        private Duration reconnectJitter = DEFAULT_RECONNECT_JITTER;
        private java.net.URI occupancyWebhook;
        private AuthConfig auth = AuthConfig.DEFAULTS;

        private Builder() {
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder ioThreads(int v) {
            ioThreads = v;
            return this;
        }

        public Builder heartbeatInterval(Duration v) {
            heartbeatInterval = v;
            return this;
        }

        public Builder heartbeatTimeout(Duration v) {
            heartbeatTimeout = v;
            return this;
        }

        public Builder drainTimeout(Duration v) {
            drainTimeout = v;
            return this;
        }

        public Builder maxMessageSize(int v) {
            maxMessageSize = v;
            return this;
        }

        public Builder maxRequestSize(int v) {
            maxRequestSize = v;
            return this;
        }

        public Builder maxConnections(int v) {
            maxConnections = v;
            return this;
        }

        public Builder maxConnectionsPerIp(int v) {
            maxConnectionsPerIp = v;
            return this;
        }

        public Builder maxConnectionsPerUser(int v) {
            maxConnectionsPerUser = v;
            return this;
        }

        public Builder inboundRate(int v) {
            inboundRate = v;
            return this;
        }

        public Builder maxSubscriptions(int v) {
            maxSubscriptions = v;
            return this;
        }

        public Builder maxFragments(int v) {
            maxFragments = v;
            return this;
        }

        public Builder maxHeaderSize(int v) {
            maxHeaderSize = v;
            return this;
        }

        public Builder handshakeTimeout(Duration v) {
            handshakeTimeout = v;
            return this;
        }

        public Builder keepAliveTimeout(Duration v) {
            keepAliveTimeout = v;
            return this;
        }

        public Builder compression(boolean v) {
            compression = v;
            return this;
        }

        public Builder compressionThreshold(int v) {
            compressionThreshold = v;
            return this;
        }

        public Builder reconnectAfter(Duration v) {
            reconnectAfter = v;
            return this;
        }

        public Builder reconnectJitter(Duration v) {
            reconnectJitter = v;
            return this;
        }

        /** {@code occupancy.webhook}: an http or https URL, or null for none. */
        public Builder occupancyWebhook(java.net.URI v) {
            if (v != null && (v.getScheme() == null || !(v.getScheme().equals("http") || v.getScheme().equals("https"))
                    || v.getHost() == null)) {
                throw new IllegalArgumentException("occupancy.webhook must be an http or https URL, was " + v);
            }
            occupancyWebhook = v;
            return this;
        }

        public Builder auth(AuthConfig v) {
            auth = v;
            return this;
        }

        /** Applies the transport settings of a preset (SPEC §4) over the current ones. */
        public Builder preset(Preset preset) {
            switch (preset) {
                case UNSTABLE_NETWORK -> heartbeatInterval(Duration.ofSeconds(10)).heartbeatTimeout(Duration.ofSeconds(60));
                case LIGHTWEIGHT -> maxConnections(100).maxMessageSize(64 * 1024).compression(false);
                default -> {
                    // the other presets change delivery options only
                }
            }
            return this;
        }

        /** @throws IllegalArgumentException naming the key and the problem */
        public ServerConfig build() {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be empty");
            }
            range("port", port, 0, 65535);
            range("ioThreads", ioThreads, 0, 1024);
            positive("heartbeat.interval", heartbeatInterval);
            positive("heartbeat.timeout", heartbeatTimeout);
            positive("drainTimeout", drainTimeout);
            if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
                throw new IllegalArgumentException("heartbeat.timeout (" + heartbeatTimeout
                        + ") must be longer than heartbeat.interval (" + heartbeatInterval + ")");
            }
            range("limits.maxMessageSize", maxMessageSize, 128, 64 * 1024 * 1024);
            range("limits.maxRequestSize", maxRequestSize, 1024, 256 * 1024 * 1024);
            range("limits.maxConnections", maxConnections, 1, 10_000_000);
            range("limits.maxConnectionsPerIp", maxConnectionsPerIp, 1, 10000000);
            range("limits.maxConnectionsPerUser", maxConnectionsPerUser, 1, 10000000);
            range("limits.inboundRate", inboundRate, 1, 1000000);
            range("limits.maxSubscriptions", maxSubscriptions, 1, 1000000);
            range("limits.maxFragments", maxFragments, 1, 100000);
            range("limits.maxHeaderSize", maxHeaderSize, 1024, 1048576);
            positive("limits.handshakeTimeout", handshakeTimeout);
            positive("limits.keepAliveTimeout", keepAliveTimeout);
            range("compression.threshold", compressionThreshold, 0, Integer.MAX_VALUE);
            if (reconnectAfter == null || reconnectAfter.isNegative()) {
                throw new IllegalArgumentException("shutdown.reconnectAfter must not be negative");
            }
            if (reconnectJitter == null || reconnectJitter.isNegative()) {
                throw new IllegalArgumentException("shutdown.reconnectJitter must not be negative");
            }
            if (auth == null) {
                throw new IllegalArgumentException("auth must not be null");
            }
            return new ServerConfig(this);
        }

        private static void range(String key, long v, long min, long max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", was " + v);
            }
        }

        private static void positive(String key, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(key + " must be a positive duration, was " + d);
            }
        }
    }
}
