package dev.runway.bench;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.pg.PgSession;
import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.MigrateResult;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.Plan;
import dev.runway.migrate.Runway;
import dev.runway.migrate.RunwayConfig;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.DirectoryIndex;
import dev.runway.migrate.dir.MigrationKind;
import dev.runway.migrate.history.HistoryRow;
import dev.runway.migrate.history.HistoryTable;
import dev.runway.migrate.lock.MigrationLock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where Runway's time goes, measured in-process with {@code System.nanoTime} in a fresh JVM started
 * with the launcher's flags (and its AppCDS archive, whose class path is a prefix of ours).
 *
 * <p>Modes: {@code noop URL DIR} replays {@code Runway.migrate()}'s steps one by one, cold, in the
 * engine's order, so class loading lands in the step that triggers it; {@code cli URL DIR} times
 * {@code dev.runway.cli.Main.run("release", ...)} as a whole; {@code apply URL DIR} applies through
 * the API with a listener that separates statement time from per-migration bookkeeping, then
 * measures one loopback round trip; {@code jdbc URL DIR} runs the same statements over plain JDBC
 * in autocommit (what psql does), the floor for a JVM client. Prints {@code phase ms} lines.
 */
public final class MigrationProfile {
    private static final Map<String, Double> PHASES = new LinkedHashMap<>();
    private static final Map<String, Double> CPU = new LinkedHashMap<>();
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static long last = System.nanoTime();
    private static long lastCpu = THREADS.getCurrentThreadCpuTime();

    private MigrationProfile() {
    }

    private static void mark(String phase) {
        long now = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        PHASES.merge(phase, (now - last) / 1e6, Double::sum);
        CPU.merge(phase, (cpu - lastCpu) / 1e6, Double::sum);
        last = now;
        lastCpu = cpu;
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        long c0 = THREADS.getCurrentThreadCpuTime();
        last = t0;
        lastCpu = c0;
        String mode = args[0];
        DatabaseUrl url = DatabaseUrl.parse(args[1], "url");
        Path dir = Path.of(args[2]);
        switch (mode) {
            case "noop":
                noop(url, dir);
                break;
            case "cli":
                int rc = dev.runway.cli.Main.run("release", "--url", args[1], "--dir", args[2]);
                mark("cli Main.run(release) rc=" + rc);
                break;
            case "apply":
                apply(url, dir);
                break;
            case "dir":
                dirPhases(dir);
                break;
            case "jdbc":
                jdbc(url, dir);
                break;
            default:
                throw new IllegalArgumentException(mode);
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-72s %9s %9s%n", "phase", "wall ms", "cpu ms"));
        PHASES.forEach((k, v) -> b.append(String.format(Locale.ROOT, "%-72s %9.1f %9.1f%n", k, v,
                CPU.getOrDefault(k, Double.NaN))));
        b.append(String.format(Locale.ROOT, "%-72s %9.1f %9.1f%n", "TOTAL in main (main thread)", (System.nanoTime() - t0) / 1e6,
                (THREADS.getCurrentThreadCpuTime() - c0) / 1e6));
        System.err.print(b);
    }

    private static void noop(DatabaseUrl url, Path dir) throws Exception {
        RunwayConfig config = RunwayConfig.builder().url(url).dir(dir).build();
        mark("RunwayConfig.build");
        HistoryTable history = new HistoryTable(config.schema(), config.table());
        mark("HistoryTable");
        DirectoryIndex d = DirectoryIndex.read(dir, MigrationKind.SCHEMA);
        mark("DirectoryIndex.read (list, read, hash; no SQL scan)");
        d.verifySum();
        mark("DirectoryIndex.verifySum (from the hashes)");
        try (Connection c = PgSession.connect(config.url(), config.applicationName())) {
            mark("PgSession.connect (driver load + TCP + startup)");
            int major = PgSession.majorVersion(c);
            mark("SHOW server_version_num");
            PgSession.enableDeadClientDetection(c, major);
            mark("SET keepalives/client_connection_check_interval");
            long key = MigrationLock.key(config.url().database(), config.schema(), config.table());
            try (MigrationLock lock = MigrationLock.acquire(c, key, config.lockWait(), config.clock(), config.sleeper(),
                    new dev.runway.core.Backoff(Duration.ofMillis(50), Duration.ofMillis(500), config.random()), (h, w) -> { })) {
                mark("pg_try_advisory_lock");
                lock.verifyHeld();
                mark("verifyHeld");
                PgSession.relationExists(c, history.qualified());
                mark("to_regclass(history)");
                List<HistoryRow> rows = history.read(c, MigrationKind.SCHEMA);
                mark("HistoryTable.read (" + rows.size() + " rows)");
                Plan plan = Plan.of(d.refs(), rows, false);
                plan.requireNoProblems();
                mark("Plan.of + requireNoProblems (" + plan.pending().size() + " pending)");
            }
            mark("pg_advisory_unlock");
        }
        mark("Connection.close");
    }

    private static void apply(DatabaseUrl url, Path dir) throws Exception {
        Runway runway = Runway.create(RunwayConfig.builder().url(url).dir(dir).build());
        mark("Runway.create");
        double[] stmt = {0};
        long[] counts = {0, 0};
        long[] migStart = {0};
        double[] migTotal = {0};
        MigrateResult r = runway.migrate(MigrateOptions.ALL, new MigrationListener() {
            @Override
            public void migrationStarted(Migration m, Direction direction, int attempt, int fromStatement) {
                migStart[0] = System.nanoTime();
            }

            @Override
            public void statementDone(Migration m, SqlStatement s, int index, Duration took) {
                stmt[0] += took.toNanos() / 1e6;
                counts[1]++;
            }

            @Override
            public void migrationDone(Migration m, Direction direction, Duration took) {
                migTotal[0] += (System.nanoTime() - migStart[0]) / 1e6;
                counts[0]++;
            }
        });
        mark("Runway.migrate total");
        PHASES.put("  of which: migrations (" + counts[0] + ")", migTotal[0]);
        PHASES.put("  of which: statements (" + counts[1] + ", execute only)", stmt[0]);
        PHASES.put("  of which: per-migration bookkeeping (SET LOCAL, history INSERT, COMMIT)", migTotal[0] - stmt[0]);
        PHASES.put("  of which: outside migrations (load, verify, connect, lock, plan, re-read)", PHASES.get("Runway.migrate total")
                - migTotal[0]);
        roundTrips(url);
        System.out.println("applied " + r.done().size());
    }

    private static void roundTrips(DatabaseUrl url) throws Exception {
        try (Connection c = PgSession.connect(url, "rt-probe"); Statement s = c.createStatement()) {
            for (int i = 0; i < 200; i++) {
                s.execute("SELECT 1");
            }
            long t = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                s.execute("SELECT 1");
            }
            mark("probe: 1000 x SELECT 1 (" + String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t) / 1e9) + " ms each)");
            c.setAutoCommit(false);
            t = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                s.execute("SET LOCAL lock_timeout = '1000ms'");
                c.commit();
            }
            mark("probe: 200 x (SET LOCAL + COMMIT) (" + String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t) / 200e6)
                    + " ms each)");
        }
    }

    /** MigrationDirectory.load's steps, each over all files, cold, in the order load runs them. */
    private static void dirPhases(Path dir) {
        List<dev.runway.migrate.dir.internal.DirectoryListing.Source> src = dev.runway.migrate.dir.internal.DirectoryListing.list(dir);
        mark("DirectoryListing.list (" + src.size() + " names: regex + version parse + sort)");
        List<dev.runway.migrate.dir.internal.SourceText.Content> texts = new ArrayList<>();
        for (var s : src) {
            texts.add(dev.runway.migrate.dir.internal.SourceText.read(s.upFile(), s.upFile().toString()));
        }
        mark("SourceText.read x" + src.size() + " (read, BOM/CRLF normalise, UTF-8 decode)");
        for (var t : texts) {
            dev.runway.core.sql.SqlScanner.scan(t.text(), "f");
        }
        mark("SqlScanner.scan x" + src.size());
        for (var t : texts) {
            dev.runway.migrate.dir.internal.Checksums.migration(t.normalized(), null);
        }
        mark("Checksums.migration x" + src.size() + " (SHA-256)");
        for (var s : src) {
            dev.runway.migrate.dir.internal.MigrationParser.parse(s, MigrationKind.SCHEMA);
        }
        mark("MigrationParser.parse x" + src.size() + " again (all of the above + directives, tx mode), warm");
        dev.runway.migrate.dir.MigrationDirectory.load(dir, MigrationKind.SCHEMA);
        mark("MigrationDirectory.load again, warm");
        dev.runway.migrate.dir.SumFile.verify(dir);
        mark("SumFile.verify (after warm-up)");
        List<String> rels = new ArrayList<>();
        for (var x : src) {
            rels.add(x.upName());
        }
        java.util.Collections.shuffle(rels, new java.util.Random(1));
        mark("(setup)");
        rels.sort(dev.runway.migrate.dir.internal.DirectoryListing.fileOrder());
        mark("  verify's rels.sort(fileOrder()) alone, shuffled input");
        rels.sort(dev.runway.migrate.dir.internal.DirectoryListing.fileOrder());
        mark("  verify's rels.sort(fileOrder()) alone, already sorted (as render gets it)");
        for (var x : src) {
            dev.runway.migrate.dir.internal.SourceText.normalize(dev.runway.migrate.dir.internal.SourceText.readBytes(x.upFile(), "f"));
        }
        mark("  verify's second read of all files");
        for (var t : texts) {
            dev.runway.migrate.dir.internal.Checksums.sha256(new byte[32], dev.runway.migrate.dir.internal.Checksums.sha256(t.normalized()));
        }
        mark("  verify's 2 x SHA-256 per file");
    }

    private static void jdbc(DatabaseUrl url, Path dir) throws Exception {
        dev.runway.migrate.dir.MigrationDirectory d = dev.runway.migrate.dir.MigrationDirectory.load(dir, MigrationKind.SCHEMA);
        mark("MigrationDirectory.load");
        List<String> sql = new ArrayList<>();
        for (Migration m : d.migrations()) {
            for (SqlStatement s : m.up()) {
                sql.add(s.sql());
            }
        }
        try (Connection c = PgSession.connect(url, "jdbc-floor"); Statement s = c.createStatement()) {
            mark("connect");
            for (String q : sql) {
                s.execute(q);
            }
            mark("plain JDBC autocommit, " + sql.size() + " statements");
        }
    }
}
