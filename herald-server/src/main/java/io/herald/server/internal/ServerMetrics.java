package io.herald.server.internal;

import io.herald.CloseCodes;
import io.herald.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transport's meters (SPEC §7). Frames, bytes and messages out are function counters over the
 * connection registry, so the write path pays nothing for them. Labels are bounded: close codes
 * Herald knows (others as {@code other}), error codes. Thread-safe.
 */
final class ServerMetrics {
    private static final Set<Integer> KNOWN_CLOSE_CODES = Set.of(CloseCodes.NORMAL, CloseCodes.GOING_AWAY,
            CloseCodes.PROTOCOL_ERROR, 1005, 1006, CloseCodes.INVALID_PAYLOAD, CloseCodes.POLICY_VIOLATION,
            CloseCodes.MESSAGE_TOO_BIG, CloseCodes.INTERNAL_ERROR, CloseCodes.TRY_AGAIN_LATER, CloseCodes.UNAUTHORIZED,
            CloseCodes.HEARTBEAT_TIMEOUT, CloseCodes.SLOW_CONSUMER);

    private final MeterRegistry registry;
    private final Counter opened;
    private final Counter heartbeatTimeouts;
    private final Map<OpenSockets.Claim, Counter> refused = new EnumMap<>(OpenSockets.Claim.class);
    private final Map<RequestDeadline.Phase, Counter> requestTimeouts = new EnumMap<>(RequestDeadline.Phase.class);
    private final Map<String, Counter> closed = new ConcurrentHashMap<>();
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);

    ServerMetrics(MeterRegistry registry, ConnectionRegistry connections, OpenSockets sockets) {
        this.registry = registry;
        Gauge.builder("herald.connections", connections, ConnectionRegistry::active)
                .description("Open WebSocket connections").register(registry);
        Gauge.builder("herald.sockets", sockets, OpenSockets::total)
                .description("Open TCP connections, HTTP and WebSocket: what limits.maxConnections counts").register(registry);
        for (OpenSockets.Claim claim : List.of(OpenSockets.Claim.SERVER_FULL, OpenSockets.Claim.ADDRESS_FULL)) {
            refused.put(claim, Counter.builder("herald.connections.refused").tag("limit", claim == OpenSockets.Claim.SERVER_FULL
                    ? "maxConnections" : "maxConnectionsPerIp").description("Connections answered 503 at accept, by limit")
                    .register(registry));
        }
        opened = Counter.builder("herald.connections.opened").description("WebSocket connections accepted").register(registry);
        heartbeatTimeouts = Counter.builder("herald.heartbeat.timeouts")
                .description("Connections closed with 4002 for want of a client frame").register(registry);
        FunctionCounter.builder("herald.frames.out", connections, r -> r.totals().framesOut())
                .description("WebSocket frames written, control frames included").register(registry);
        FunctionCounter.builder("herald.bytes.out", connections, r -> r.totals().bytesOut())
                .description("Payload bytes of the frames written (before compression)").baseUnit("bytes").register(registry);
        FunctionCounter.builder("herald.messages.sent", connections, r -> r.totals().messagesOut())
                .description("Messages written to WebSocket clients").register(registry);
        for (RequestDeadline.Phase phase : RequestDeadline.Phase.values()) {
            requestTimeouts.put(phase, Counter.builder("herald.http.timeouts").tag("phase", phase.tag())
                    .description("HTTP connections closed for want of a complete request in time:"
                            + " silent since accept, partial request, idle keep-alive").register(registry));
        }
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, Counter.builder("herald.errors").tag("code", code.wire())
                    .description("Errors answered to clients, by code").register(registry));
        }
    }

    void opened() {
        opened.increment();
    }

    void closed(int code) {
        String tag = code < 0 ? "none" : KNOWN_CLOSE_CODES.contains(code) ? Integer.toString(code) : "other";
        closed.computeIfAbsent(tag, t -> Counter.builder("herald.connections.closed").tag("code", t)
                .description("WebSocket connections closed, by close code").register(registry)).increment();
    }

    void refused(OpenSockets.Claim claim) {
        refused.get(claim).increment();
    }

    void heartbeatTimeout() {
        heartbeatTimeouts.increment();
    }

    void requestTimeout(RequestDeadline.Phase phase) {
        requestTimeouts.get(phase).increment();
    }

    void error(ErrorCode code) {
        errors.get(code).increment();
    }
}
