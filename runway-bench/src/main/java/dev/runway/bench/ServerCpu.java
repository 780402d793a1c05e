package dev.runway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a local PostgreSQL server has used, read from Linux's /proc: the postmaster's own and that of the
 * children it has reaped (a session's backend, once its client has gone), plus its live children's (the WAL writer,
 * the checkpointer, autovacuum, a backend still ending). The difference across a run is what the run cost the server,
 * next to what it cost the client: on a machine of two cores the two compete. In clock ticks of 1/100 s (USER_HZ, 100
 * on Linux x86-64). Stateless.
 */
final class ServerCpu {
    private ServerCpu() {
    }

    /** Seconds of CPU used so far by the server whose postmaster is {@code pid}; NaN when /proc cannot be read. */
    static double seconds(long pid) {
        try {
            long[] pm = ticks(pid);
            long total = pm[0] + pm[1] + pm[2] + pm[3];
            for (ProcessHandle child : (Iterable<ProcessHandle>) ProcessHandle.of(pid).orElseThrow().children()::iterator) {
                try {
                    long[] c = ticks(child.pid());
                    total += c[0] + c[1];
                } catch (IOException ended) {
                    // exited between listing and reading: its time is in the postmaster's reaped children's once reaped
                }
            }
            return total / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** utime, stime, cutime, cstime of {@code pid} (fields 14–17 of /proc/PID/stat). */
    static long[] ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name (field 2) is in parentheses and may hold spaces: count the fields after its closing one
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    }
}
