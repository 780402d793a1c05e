package dev.runway.cli.lab;

import dev.runway.cli.BuildInfo;
import dev.runway.core.RunwayException;
import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import dev.runway.lab.PoolMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runway lab up}. */
@Command(name = "up", description = {
        "Start (or restart) the lab: a primary and N streaming replicas on 127.0.0.1.",
        "--delay replica2=40 puts replica2 40 ms (one way) from the primary, through a local TCP proxy.",
        "--pgbouncer session|transaction adds Debian's PgBouncer in front of the primary; --tls runs every server",
        "with TLS (a throw-away CA; the URLs of 'lab env' then verify it)."})
final class LabUp implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    dev.runway.cli.HelpOption help;
    @Option(names = "--replicas", paramLabel = "N", description = "Number of replicas, 0-8 (default 2).", defaultValue = "2")
    int replicas;
    @Option(names = "--delay", paramLabel = "NAME=MS", description = "One-way latency from the primary to replica NAME, in ms.")
    List<String> delays = List.of();
    @Option(names = "--pg", paramLabel = "VERSION", description = "PostgreSQL major version 13-18 (default: the system's, else 15).")
    String pg;
    @Option(names = "--dir", paramLabel = "DIR", description = "Lab directory (default ./.runway/lab or RUNWAY_LAB_DIR).")
    Path dir;
    @Option(names = "--pgbouncer", paramLabel = "MODE", description = "PgBouncer in front of the primary: session or transaction pooling.")
    String pgbouncer;
    @Option(names = "--tls", description = "Every server (and the PgBouncer) with TLS from a throw-away CA in DIR/tls.")
    boolean tls;

    @Override
    public Integer call() {
        LabConfig.Builder b = LabConfig.builder().replicas(replicas).pgVersion(pg).dir(LabCommand.dir(dir)).tls(tls)
                .pgbouncer(pgbouncer == null ? null : PoolMode.parse(pgbouncer, "--pgbouncer"));
        for (String d : delays) {
            int eq = d.indexOf('=');
            if (eq <= 0) {
                throw RunwayException.usage("--delay: '" + d + "' is not NAME=MS (e.g. --delay replica2=40)");
            }
            long ms;
            try {
                ms = Long.parseLong(d.substring(eq + 1).replaceAll("ms$", ""));
            } catch (NumberFormatException e) {
                throw RunwayException.usage("--delay " + d + ": '" + d.substring(eq + 1) + "' is not a number of milliseconds");
            }
            if (ms < 0 || ms > 10_000) {
                throw RunwayException.usage("--delay " + d + ": must be between 0 and 10000 ms");
            }
            b.delay(d.substring(0, eq), Duration.ofMillis(ms));
        }
        long t0 = System.nanoTime();
        Lab lab = Lab.start(b.build());
        System.out.printf("Lab up in %.2fs: PostgreSQL %s in %s%n", (System.nanoTime() - t0) / 1e9, lab.version(), lab.dir());
        LabStatusCommand.print(lab);
        System.out.println();
        String rw = BuildInfo.command();
        System.out.println("Use it:   eval \"$(" + rw + " lab env)\"   then   " + rw + " release");
        System.out.println("Stop it:  " + rw + " lab down   (--clean also deletes " + lab.dir() + ")");
        return 0;
    }
}
