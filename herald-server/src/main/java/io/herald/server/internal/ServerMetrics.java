package io.herald.server.internal;

import io.herald.CloseCodes;
import io.herald.ErrorCode;
import io.herald.StatsSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transport's meters (SPEC §7). Frames, bytes and messages out are function counters over the
 * connection registry, so the write path pays nothing for them. Labels are bounded: close codes
 * Herald knows (others as {@code other}), error codes. It is also the server's {@link StatsSource}
 * for the live stats: connections and traffic as totals it keeps itself, since Herald's meter
 * registry may export nowhere (an empty composite counts nothing). Thread-safe.
 */
final class ServerMetrics implements StatsSource {
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
    private final ConnectionRegistry connections;
    private final OpenSockets sockets;
    /** The live stats' totals, by the same labels as the meters. */
    private final Map<String, LongAdder> closedByCode = new ConcurrentHashMap<>();
    private final LongAdder heartbeatTimeoutCount = new LongAdder();

    ServerMetrics(MeterRegistry registry, ConnectionRegistry connections, OpenSockets sockets) {
        this.registry = registry;
        this.connections = connections;
        this.sockets = sockets;
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
        closedByCode.computeIfAbsent(tag, t -> new LongAdder()).increment();
        closed.computeIfAbsent(tag, t -> Counter.builder("herald.connections.closed").tag("code", t)
                .description("WebSocket connections closed, by close code").register(registry)).increment();
    }

    void refused(OpenSockets.Claim claim) {
        refused.get(claim).increment();
    }

    void heartbeatTimeout() {
        heartbeatTimeouts.increment();
        heartbeatTimeoutCount.increment();
    }

    void requestTimeout(RequestDeadline.Phase phase) {
        requestTimeouts.get(phase).increment();
    }

    void error(ErrorCode code) {
        errors.get(code).increment();
    }

    /**
     * The live stats' {@code connections} (open now, opened and closed since start, closed by close
     * code, slow consumers closed with 4003, heartbeat timeouts, open TCP sockets) and
     * {@code traffic} (frames, bytes and messages written since start).
     */
    @Override
    public void addTo(Map<String, Object> snapshot) {
        Map<String, Long> byCode = new TreeMap<>();
        long closedTotal = 0;
        for (Map.Entry<String, LongAdder> e : closedByCode.entrySet()) {
            long n = e.getValue().sum();
            byCode.put(e.getKey(), n);
            closedTotal += n;
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("active", connections.active());
        c.put("opened", connections.total());
        c.put("closed", closedTotal);
        c.put("closed_by_code", byCode);
        c.put("slow_consumers", byCode.getOrDefault(Integer.toString(CloseCodes.SLOW_CONSUMER), 0L));
        c.put("heartbeat_timeouts", heartbeatTimeoutCount.sum());
        c.put("sockets", sockets.total());
        snapshot.put("connections", c);
        ConnectionRegistry.Totals t = connections.totals();
        Map<String, Object> traffic = new LinkedHashMap<>();
        traffic.put("frames_out", t.framesOut());
        traffic.put("bytes_out", t.bytesOut());
        traffic.put("messages_sent", t.messagesOut());
        traffic.put("errors", t.errors());
        snapshot.put("traffic", traffic);
    }
}
