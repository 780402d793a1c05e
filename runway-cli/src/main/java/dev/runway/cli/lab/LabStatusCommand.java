package dev.runway.cli.lab;

import dev.runway.lab.Lab;
import dev.runway.lab.NodeStatus;
import dev.runway.lab.PgBouncer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runway lab status}. */
@Command(name = "status", description = "Nodes, ports, replication state and lag.")
final class LabStatusCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    dev.runway.cli.HelpOption help;
    @Option(names = "--dir", paramLabel = "DIR", description = "Lab directory (default ./.runway/lab or RUNWAY_LAB_DIR).")
    Path dir;

    @Override
    public Integer call() {
        Lab lab = Lab.open(LabCommand.dir(dir));
        System.out.println("Lab in " + lab.dir() + ", PostgreSQL " + lab.version());
        print(lab);
        return 0;
    }

    static void print(Lab lab) {
        System.out.printf("  %-10s %-8s %-6s %-8s %-10s %-14s %s%n", "NODE", "ROLE", "PORT", "PID", "STATE", "LSN", "LAG");
        for (NodeStatus s : lab.status()) {
            String lag = s.lagBytes() == null ? "-" : s.lagBytes() + " B" + (s.lagMillis() == null ? "" : ", " + s.lagMillis() + " ms");
            String delay = lab.node(s.name()).isPrimary() ? "" : delayOf(lab, s.name());
            System.out.printf("  %-10s %-8s %-6d %-8s %-10s %-14s %s%s%n", s.name(), s.role(), s.port(),
                    s.running() ? String.valueOf(s.pid()) : "-", s.state(), s.replayLsn() == null ? "-" : s.replayLsn(), lag, delay);
        }
        if (lab.config().pgbouncer() != null) {
            PgBouncer b = lab.pgbouncer();
            System.out.printf("  %-10s %-8s %-6d %-8s %-10s %-14s %s%n", "pgbouncer", "pooler", b.port(),
                    b.isRunning() ? String.valueOf(b.pid()) : "-", b.isRunning() ? "running" : "stopped", "-> " + b.target().name(),
                    b.mode().ini() + " pooling");
        }
        if (lab.tls() != null) {
            System.out.println("  TLS on every server; CA: " + lab.tls().caCert());
        }
    }

    private static String delayOf(Lab lab, String name) {
        long ms = lab.node(name).upstreamDelay().toMillis();
        return ms > 0 ? "  (" + ms + " ms from primary)" : "";
    }
}
