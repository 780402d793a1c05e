package dev.runway.bench;

import dev.runway.bench.rehearsal.Rehearsal;
import dev.runway.bench.rehearsal.RehearsalConfig;
import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The rolling-deploy rehearsal of examples/fly-app (docs/benchmarks.md, "Rolling deploy"): a lab
 * primary and a replica 40 ms behind it, the safe deploy (v1 → release v2: expand + backfill → roll
 * both regions → release v3: contract) and the control (a one-step rename while v1 runs). Prints
 * both tables and writes {@code runway-bench/target/rehearsal-bench.md}. A harness: it asserts
 * nothing (examples/fly-app's RehearsalIT asserts on the same runs).
 *
 * <pre>
 * mvn -q -B -pl examples/fly-app -am package -DskipTests
 * java -cp 'runway-bench/target/classes:runway-bench/target/lib/*' dev.runway.bench.RehearsalBench [phase-seconds] [users] [rows]
 * </pre>
 */
public final class RehearsalBench {
    private RehearsalBench() {
    }

    public static void main(String[] args) throws Exception {
        int phaseSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        Path example = Path.of("examples/fly-app").toAbsolutePath();
        Path app = example.resolve("target/fly-app.jar");
        Path runway = Path.of("runway-cli/target/runway.jar").toAbsolutePath();
        if (!Files.isRegularFile(app) || !Files.isRegularFile(runway)) {
            System.err.println("runway-bench: build first: mvn -q -B -pl examples/fly-app -am package -DskipTests (from the repository root)");
            System.exit(2);
        }
        StringBuilder md = new StringBuilder("Rolling-deploy rehearsal, " + Instant.now() + ": " + phaseSeconds + " s phases, " + users
                + " users, " + rows + " rows backfilled, replica 40 ms behind the primary.\n\n");
        try (Lab lab = Lab.start(LabConfig.builder().replicas(1).delay("replica1", Duration.ofMillis(40)).build())) {
            for (String kind : new String[] {"safe", "breaking"}) {
                String db = "rehearsal_" + kind;
                lab.createDatabase(db);
                Path work = Files.createTempDirectory("rehearsal-" + kind);
                RehearsalConfig cfg = new RehearsalConfig(example, app, runway, lab.primary().url(db), lab.node("replica1").url(db),
                        Duration.ofSeconds(phaseSeconds), users, kind.equals("safe") ? rows : Math.min(rows, 10_000), work,
                        RehearsalConfig.SMALL_JVM);
                Rehearsal.Report r = kind.equals("safe") ? Rehearsal.safe(cfg) : Rehearsal.breaking(cfg);
                md.append("### ").append(kind.equals("safe") ? "Safe deploy" : "Control: one-step rename").append("\n\n")
                        .append(r.markdown()).append("\nLogs: ").append(work).append("\n\n");
                System.out.println(md);
            }
        }
        Path out = Path.of("runway-bench/target/rehearsal-bench.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println("wrote " + out);
    }
}
