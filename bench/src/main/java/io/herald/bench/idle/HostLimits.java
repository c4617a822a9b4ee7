package io.herald.bench.idle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the machine allows and how big its kernel objects are, as {@code bench/idle.sh} read them:
 * the inputs of the 1,000,000-connection projection besides the measured slopes. Immutable.
 *
 * @param pageSize      bytes per page ({@code getconf PAGESIZE}): {@code /proc/net/sockstat} counts pages
 * @param nofileHard    the hard limit of open files per process ({@code ulimit -Hn}), -1 when unlimited or unknown
 * @param nrOpen        {@code fs.nr_open}, the most any process's limit may be raised to, -1 when unknown
 * @param fileMax       {@code fs.file-max}, open files of the whole machine, -1 when unknown
 * @param portLow       first ephemeral port ({@code net.ipv4.ip_local_port_range})
 * @param portHigh      last ephemeral port
 * @param tcpMemPages   {@code net.ipv4.tcp_mem} (low, pressure, high), in pages; empty when unknown
 * @param objectSizes   bytes per object of the kernel slab caches a TCP socket needs, by cache
 *                      ({@code /proc/slabinfo} {@code objsize}); {@link #MINIMUM_CACHES} missing from it
 *                      take {@link #TYPICAL_OBJECT_SIZES}
 */
public record HostLimits(long pageSize, long nofileHard, long nrOpen, long fileMax, int portLow, int portHigh,
                         long[] tcpMemPages, Map<String, Long> objectSizes) {
    /**
     * One object of each of these per connected TCP socket held by a process that polls it with
     * epoll: the socket ({@code TCP}, or {@code TCPv6} for a dual-stack socket), its inode, its
     * {@code struct file}, its dentry, and the epoll item and wait-queue hook.
     */
    public static final String[] MINIMUM_CACHES = {"TCP", "sock_inode_cache", "filp", "dentry", "eventpoll_epi", "eventpoll_pwq"};

    /** Object sizes of Linux 6.18 on x86-64 (this benchmark's machine), for a machine whose slabinfo is unreadable. */
    public static final Map<String, Long> TYPICAL_OBJECT_SIZES = Map.of("TCP", 2368L, "TCPv6", 2496L, "sock_inode_cache", 832L,
            "filp", 192L, "dentry", 192L, "eventpoll_epi", 128L, "eventpoll_pwq", 64L);

    /** The widest ephemeral range Linux allows (1024–65535). */
    public static final int WIDEST_PORT_RANGE = 65535 - 1024 + 1;

    public HostLimits {
        tcpMemPages = tcpMemPages.clone();
        objectSizes = Collections.unmodifiableMap(new LinkedHashMap<>(objectSizes));
    }

    @Override
    public long[] tcpMemPages() {
        return tcpMemPages.clone();
    }

    /** Ports one source address has for connections to one server address and port. */
    public int portsPerSourceAddress() {
        return portHigh - portLow + 1;
    }

    /** Size of one object of {@code cache}: measured when read, else the typical size. */
    public long objectSize(String cache) {
        Long v = objectSizes.get(cache);
        return v != null && v > 0 ? v : TYPICAL_OBJECT_SIZES.getOrDefault(cache, 0L);
    }

    /**
     * The caches of {@link #MINIMUM_CACHES} whose size was not read from this machine and is the
     * typical one: all when slabinfo was unreadable, else those it does not list (a cache the
     * kernel merged into another of the same size, such as {@code eventpoll_pwq}).
     */
    public List<String> typicalSized() {
        List<String> out = new ArrayList<>();
        for (String c : MINIMUM_CACHES) {
            Long v = objectSizes.get(c);
            if (v == null || v <= 0) {
                out.add(c);
            }
        }
        return out;
    }

    /** Whether every cache of {@link #MINIMUM_CACHES} was read from this machine. */
    public boolean objectSizesMeasured() {
        return typicalSized().isEmpty();
    }

    /** The kernel objects one connected, epoll-polled TCP socket needs at the least, in bytes. */
    public long minimumSocketBytes() {
        long sum = 0;
        for (String c : MINIMUM_CACHES) {
            sum += objectSize(c);
        }
        return sum;
    }
}
