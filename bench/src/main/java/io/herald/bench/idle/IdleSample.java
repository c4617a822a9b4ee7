package io.herald.bench.idle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measurement of the {@code idle} scenario: a server holding {@code connections} idle
 * WebSocket connections, after a full GC. Byte figures are -1 when they could not be read.
 * Immutable.
 *
 * @param target      connections asked for at this step (0 = the baseline after start)
 * @param connections connections the load generators held open when the sample was taken
 * @param failed      connection attempts that failed, over all load generators so far
 * @param heapBytes   the server's used heap after a full GC (JVM: all generations; Node: V8 {@code heapUsed})
 * @param heapCommittedBytes the heap the runtime had reserved in memory at that moment, used or not
 *                    (JVM: the generations' capacities; Node: V8 {@code heapTotal})
 * @param rssBytes    the server's resident set ({@code VmRSS})
 * @param tcpMemPages the machine's TCP buffer memory, {@code /proc/net/sockstat} {@code TCP … mem}, in pages (both ends of every loopback connection)
 * @param tcpInuse    the machine's TCP sockets in use, IPv4 and IPv6 ({@code inuse} of {@code /proc/net/sockstat} and {@code sockstat6})
 * @param fds         the server's open file descriptors
 * @param slab        bytes of the socket-related kernel slab caches of the whole machine, by cache
 *                    ({@code active_objs × objsize} from {@code /proc/slabinfo}); empty when unreadable
 */
public record IdleSample(long target, long connections, long failed, long heapBytes, long heapCommittedBytes, long rssBytes,
                         long tcpMemPages, long tcpInuse, long fds, Map<String, Long> slab) {
    public IdleSample {
        slab = Collections.unmodifiableMap(new LinkedHashMap<>(slab));
    }

    static IdleSample of(JsonNode n) {
        Map<String, Long> slab = new LinkedHashMap<>();
        n.path("slab").fields().forEachRemaining(e -> slab.put(e.getKey(), e.getValue().asLong()));
        return new IdleSample(n.path("target").asLong(), n.path("connections").asLong(), n.path("failed").asLong(),
                n.path("heapBytes").asLong(-1), n.path("heapCommittedBytes").asLong(-1), n.path("rssBytes").asLong(-1),
                n.path("tcpMemPages").asLong(-1),
                n.path("tcpInuse").asLong(-1), n.path("fds").asLong(-1), slab);
    }

    /** The socket slab caches' bytes in total, or -1 when {@code /proc/slabinfo} was not readable. */
    public long slabBytes() {
        return slab.isEmpty() ? -1 : slab.values().stream().mapToLong(Long::longValue).sum();
    }
}
