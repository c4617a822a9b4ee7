package io.herald.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, from {@code /proc/<pid>/stat} and
 * {@code /proc/<pid>/status} (Linux): user plus system time of all its threads, including
 * threads that ended. Reads that fail (another OS, a process that is gone) give -1. Stateless.
 */
final class ProcStat {
    /** Clock ticks per second of {@code utime}/{@code stime}; 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    static final long TICKS_PER_SECOND = Long.getLong("herald.bench.clockTicks", 100);

    private ProcStat() {
    }

    /** CPU milliseconds used so far by {@code pid}, or -1. */
    static long cpuMillis(long pid) {
        try {
            return parseCpuMillis(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU milliseconds used so far by this process, or -1. */
    static long selfCpuMillis() {
        return cpuMillis(ProcessHandle.current().pid());
    }

    /** Resident set size of {@code pid} in bytes ({@code VmRSS}), or -1. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU milliseconds the whole machine has been busy (all cores: user, nice, system, irq,
     * softirq, steal, from the first line of {@code /proc/stat}), or -1. Against the processes'
     * own times it shows work nobody in the benchmark asked for: other programs, and kernel work
     * (loopback softirqs) not charged to a process.
     */
    static long machineBusyMillis() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                ticks += Long.parseLong(f[i]);
            }
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of a {@code stat} line, in milliseconds. */
    static long parseCpuMillis(String stat) {
        // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
        return ticks * 1000 / TICKS_PER_SECOND;
    }
}
