package dev.runway.lint.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runway.core.pg.PgSession;
import dev.runway.core.sql.SqlStatement;
import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import dev.runway.lint.Check;
import dev.runway.lint.CheckOptions;
import dev.runway.lint.CheckResult;
import dev.runway.lint.CheckedMigration;
import dev.runway.lint.LintConfig;
import dev.runway.lint.StaticGate;
import dev.runway.lint.internal.source.Migrations;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.MigrationDirectory;
import dev.runway.migrate.dir.MigrationKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Wall time of {@code check} for 1, 100 and 1,000 migrations: static only (directory load included),
 * with the trace, with trace and round trip, next to simply applying the same migrations (as Runway
 * does: one transaction each with SET LOCAL lock_timeout) and to squawk on the same files. A
 * benchmark, not a timed assertion: run with {@code -Drunway.bench=true}; writes target/check-bench.md.
 */
class CheckBenchIT {
    @Test
    void bench() throws Exception {
        assumeTrue(Boolean.getBoolean("runway.bench"), "set -Drunway.bench=true to run the benchmark");
        int[] sizes = {1, 100, 1000};
        StringBuilder md = new StringBuilder();
        long labStart;
        List<String> rows = new ArrayList<>();
        long t0 = System.nanoTime();
        try (Lab lab = Lab.start(LabConfig.builder().replicas(0).build())) {
            labStart = ms(t0);
            for (int n : sizes) {
                Path dir = SyntheticHistory.write(Files.createTempDirectory("runway-bench-" + n), n);
                long[] st = new long[REPEAT];
                long[] ap = new long[REPEAT];
                long[] trs = new long[REPEAT];
                int findings = 0;
                List<CheckedMigration> cms = null;
                CheckResult tr = null;
                for (int k = 0; k < REPEAT; k++) {
                    long s = System.nanoTime();
                    List<Migration> ms = MigrationDirectory.load(dir, MigrationKind.SCHEMA).migrations();
                    findings = StaticGate.check(ms, LintConfig.defaults()).size();
                    st[k] = ms(s);
                    cms = Migrations.of(ms);
                    ap[k] = apply(lab, cms, "apply_" + n + "_" + k);
                    s = System.nanoTime();
                    tr = Check.run(List.of(), cms, LintConfig.defaults(),
                            new CheckOptions(true, false, lab.primary().url("postgres"), null, null, false));
                    trs[k] = ms(s);
                }
                long staticMs = median(st);
                long apply = median(ap);
                long traceMs = median(trs);
                long s = System.nanoTime();
                CheckResult rt = Check.run(List.of(), cms, LintConfig.defaults(),
                        new CheckOptions(true, true, lab.primary().url("postgres"), null, null, false));
                long rtMs = ms(s);
                long squawk = squawk(dir);
                rows.add(String.format(Locale.ROOT, "| %,d | %,d | %,d | %,d (%.1fx) | %,d | %s | %d |", n, staticMs, apply, traceMs,
                        traceMs / (double) Math.max(1, apply), rtMs, squawk < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", squawk),
                        findings + tr.findings().size() + rt.findings().size()));
            }
        }
        md.append("Migrations: a synthetic, safely written history (SyntheticHistory: tables, columns, CONCURRENTLY indexes,\n")
                .append("NOT VALID + VALIDATE, views, functions, comments, defaults; each with a down section).\n")
                .append("Times in ms, wall clock, median of 3 runs (round trip: 1 run), on the shared 2-core machine; lab server start: ").append(labStart)
                .append(" ms (paid once per `check` run, not included below). \"apply\" creates a database, applies the files\n")
                .append("as Runway does (one transaction each with SET LOCAL lock_timeout) and drops it; \"trace\" is `check` with the trace\n")
                .append("(static rules included), which also creates and drops its scratch database; the ratio is trace / apply.\n\n")
                .append("| migrations | static (load + rules) | apply (baseline) | trace | trace + round trip | squawk | findings |\n")
                .append("|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> md.append(r).append('\n'));
        md.append("\nReproduce: `cd runway-lint/.. && mvn -q -B -pl runway-lint -am verify -Dtest=CheckBenchIT -Drunway.bench=true "
                + "-Dsurefire.failIfNoSpecifiedTests=false` (squawk from `npm install squawk-cli` in runway-lint/target/squawk).\n");
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/check-bench.md"), md.toString());
        System.out.println(md);
    }

    /**
     * Creates a database, applies the migrations the way Runway's executor does and drops it again
     * (check creates and drops its scratch database too).
     */
    private static long apply(Lab lab, List<CheckedMigration> ms, String db) throws Exception {
        long s = System.nanoTime();
        lab.createDatabase(db);
        try (Connection c = PgSession.connect(lab.primary().url(db), "bench apply"); Statement st = c.createStatement()) {
            for (CheckedMigration m : ms) {
                c.setAutoCommit(!m.transactional());
                if (m.transactional()) {
                    st.execute("SET LOCAL lock_timeout = '1s'");
                }
                for (SqlStatement q : m.up()) {
                    st.execute(q.sql());
                }
                if (m.transactional()) {
                    c.commit();
                }
            }
        }
        lab.dropDatabase(db);
        return ms(s);
    }

    private static long squawk(Path dir) throws Exception {
        Path bin = dev.runway.lint.corpus.SquawkBinary.find();
        if (bin == null) {
            return -1;
        }
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--reporter", "gcc"));
        try (var s = Files.list(dir)) {
            s.filter(p -> p.toString().endsWith(".sql")).sorted().forEach(p -> cmd.add(p.toString()));
        }
        long t = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
        return ms(t);
    }

    private static final int REPEAT = 3;

    private static long median(long[] v) {
        long[] c = v.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
