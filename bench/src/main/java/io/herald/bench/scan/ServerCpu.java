package io.herald.bench.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time used so far by the server process, from {@code /proc/<pid>/stat} (Linux): user plus
 * system time of every thread, including threads that ended. Elsewhere, or without a pid, nothing.
 */
final class ServerCpu {
    private final long pid;
    private final long ticksPerSecond;

    /**
     * @param pid            the server's process id; 0 or less when unknown
     * @param ticksPerSecond the kernel's clock ticks per second ({@code getconf CLK_TCK}, usually 100)
     */
    ServerCpu(long pid, long ticksPerSecond) {
        this.pid = pid;
        this.ticksPerSecond = ticksPerSecond;
    }

    /** CPU milliseconds used so far, if they can be read. */
    OptionalLong millis() {
        if (pid <= 0 || ticksPerSecond <= 0) {
            return OptionalLong.empty();
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime and stime, fields 14 and 15
            return OptionalLong.of(ticks * 1000 / ticksPerSecond);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
