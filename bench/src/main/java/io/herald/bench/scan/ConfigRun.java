package io.herald.bench.scan;

import java.util.List;

/**
 * The outcome of the workload against one server configuration; written as JSON by
 * {@code ScanBench run} and read back by {@code ScanBench report}.
 *
 * @param name              configuration name, e.g. {@code standard}
 * @param serverArgs        the arguments the server was started with
 * @param note              how the server was started when it differs from the intent; empty otherwise
 * @param seed              workload seed
 * @param speed             replay speed-up
 * @param clientsPerMode    clients with deflate offered, and as many without
 * @param critical          critical messages published
 * @param keyed             keyed messages published
 * @param plain             plain messages published
 * @param requests          publish requests sent
 * @param replaySeconds     wall time of the replay
 * @param maxLateMillis     how far behind schedule the publisher fell at worst
 * @param drainSeconds      from the end of the replay until every client had the final message (or the timeout)
 * @param serverCpuMillis   server CPU time from the start of the replay until then; -1 when unknown
 * @param clients           one result per client
 */
record ConfigRun(String name, String serverArgs, String note, long seed, double speed, int clientsPerMode,
        int critical, int keyed, int plain, int requests, double replaySeconds, double maxLateMillis,
        double drainSeconds, long serverCpuMillis, List<ClientResult> clients) {

    /** The clients that offered deflate ({@code true}) or did not. */
    List<ClientResult> clients(boolean deflateOffered) {
        return clients.stream().filter(c -> c.deflateOffered() == deflateOffered).toList();
    }
}
