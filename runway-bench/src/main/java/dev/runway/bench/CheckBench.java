package dev.runway.bench;

import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import dev.runway.lab.Node;
import dev.runway.migrate.dir.SumFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The check benchmark of issue #15: what {@code runway check} costs next to its peer and next to applying
 * the same files.
 *
 * <p>For each round and each size N, in an order rotated every round: squawk (npm {@code squawk-cli}) on
 * the N files, {@code runway check --static} on the same files, {@code runway release} of the N files
 * with down sections onto a fresh database, and {@code runway check} of those files with trace and round
 * trip twice: against the same durable server ({@code --scratch-url}), and as {@code runway check} runs by
 * default, on a lab server it starts for itself (fsync off, its start-up included). Every run is timed under GNU time through the
 * exact java line of {@code ./runway}. Reports medians with min–max, CPU and peak RSS, the ratios the
 * issue sets targets for, and the load average before each round. Starts its own lab server (no
 * replicas), durable like MigrationBench's default (fsync and full_page_writes on), and stops it.
 *
 * <p>Run from the repository root after {@code mvn -q -B -pl runway-bench -am package -DskipTests}:
 * <pre>java -cp 'runway-bench/target/classes:runway-bench/target/lib/*' dev.runway.bench.CheckBench --rounds 5</pre>
 * Options: {@code --rounds R} (5), {@code --sizes 100,1000}, {@code --squawk PATH} (squawk on the PATH;
 * {@code npm install squawk-cli@2.66.0} puts it in {@code node_modules/.bin}), {@code --out DIR}
 * (runway-bench/target), {@code --java PATH} (the java Runway's rows run on, with the start-up archive the launcher
 * trains for it: an AOT cache on Java 25+; default the PATH's java).
 */
public final class CheckBench {
    private static final long TIMEOUT_S = 600;
    private static final String SQUAWK = "squawk";
    private static final String STATIC = "runway-check-static";
    private static final String APPLY = "runway-release";
    private static final String FULL = "runway-check";
    private static final String FULL_LAB = "runway-check-lab";
    private static final List<String> ROWS = List.of(SQUAWK, STATIC, APPLY, FULL, FULL_LAB);

    private final Path repo;
    private final Path out;
    private final int rounds;
    private final List<Integer> sizes;
    private final String squawk;
    /** The java Runway's rows run on (with the archive its launcher trains for it), null for the PATH's. */
    private final Path java;
    private final List<Sample> samples = new ArrayList<>();
    private final List<String> loads = new ArrayList<>();

    private CheckBench(Path repo, Path out, int rounds, List<Integer> sizes, String squawk, Path java) {
        this.java = java;
        this.repo = repo;
        this.out = out;
        this.rounds = rounds;
        this.sizes = sizes;
        this.squawk = squawk;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("--rounds", "5");
        o.put("--sizes", "100,1000");
        o.put("--squawk", SQUAWK);
        o.put("--out", "runway-bench/target");
        o.put("--java", "");
        for (int i = 0; i < args.length; i += 2) {
            if (!o.containsKey(args[i]) || i + 1 >= args.length) {
                System.err.println("usage: CheckBench [--rounds R] [--sizes 100,1000] [--squawk PATH] [--out DIR] [--java PATH]");
                System.exit(2);
            }
            o.put(args[i], args[i + 1]);
        }
        Path repo = Path.of("").toAbsolutePath();
        List<Integer> sizes = Arrays.stream(o.get("--sizes").split(",")).map(Integer::parseInt).collect(Collectors.toList());
        new CheckBench(repo, repo.resolve(o.get("--out")), Integer.parseInt(o.get("--rounds")), sizes, o.get("--squawk"),
                o.get("--java").isEmpty() ? null : Path.of(o.get("--java")).toAbsolutePath()).run();
    }

    /** The down section of migration {@code i}: what its up (MigrationFiles.sql) did, undone. */
    static String down(int i) {
        String t = String.format(Locale.ROOT, "t_%04d", (i - 1) / 4 + 1);
        switch ((i - 1) % 4) {
            case 0:
                return "DROP TABLE " + t + ";\n";
            case 1:
                return "ALTER TABLE " + t + " DROP COLUMN status;\nALTER TABLE " + t + " DROP COLUMN note;\n";
            case 2:
                return "DROP INDEX " + t + "_active_name_uq;\nDROP INDEX " + t + "_name_idx;\n";
            default:
                return "UPDATE " + t + " SET status = 'new', note = NULL WHERE name = 'alpha';\n"
                        + "DELETE FROM " + t + " WHERE name IN ('alpha', 'beta', 'gamma');\n";
        }
    }

    /** MigrationFiles' N migrations with a down section each, and their runway.sum. */
    static Path writeWithDowns(Path dir, int n) {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    Files.delete(p);
                }
            }
            for (int i = 1; i <= n; i++) {
                Files.writeString(dir.resolve(i + "_bench.sql"), MigrationFiles.NOLINT + "-- runway:up\n" + MigrationFiles.sql(i)
                        + "\n-- runway:down\n" + down(i), StandardCharsets.UTF_8);
            }
            SumFile.write(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run() throws Exception {
        Path jar = repo.resolve("runway-cli/target/runway.jar");
        Path jsa = repo.resolve("runway-cli/target/runway.jsa");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("run from the repository root after: mvn -q -B -pl runway-bench -am package -DskipTests");
        }
        Path work = out.resolve("check-bench-work");
        Files.createDirectories(work.resolve("logs"));
        log("letting ./runway train its start-up archive for " + (java == null ? "java on the PATH" : java) + " when stale");
        MigrationBench.train(repo, java, work.resolve("logs/cds-training.log"));
        Map<Integer, Path> upOnly = new LinkedHashMap<>();
        Map<Integer, Path> withDowns = new LinkedHashMap<>();
        for (int n : sizes) {
            upOnly.put(n, MigrationFiles.write(work.resolve("n" + n), n).runway());
            withDowns.put(n, writeWithDowns(work.resolve("n" + n + "-down"), n));
        }
        try (Lab lab = Lab.start(LabConfig.builder().replicas(0).build())) {
            Node pg = lab.primary();
            Tool.Env env = new Tool.Env(repo, jar, jsa, null, null, "", "", pg.host(), pg.port(), java);
            durable(pg);
            log("lab: PostgreSQL " + lab.version() + " on " + pg.host() + ":" + pg.port() + ", durable");
            for (int r = 0; r <= rounds; r++) {
                String load = MigrationBench.loadAvg();
                log((r == 0 ? "warm-up (not recorded)" : "round " + r + "/" + rounds) + ", load average " + load);
                if (r > 0) {
                    loads.add("round " + r + " " + load);
                }
                for (int n : r == 0 ? List.of(sizes.get(0)) : sizes) {
                    for (int i = 0; i < ROWS.size(); i++) {
                        String row = ROWS.get((i + r) % ROWS.size());
                        measure(pg, env, row, n, upOnly.get(n), withDowns.get(n), r, work);
                    }
                }
                if (r == 0) {
                    samples.clear();
                }
                write(false);
            }
        }
        write(true);
    }

    private void measure(Node pg, Tool.Env env, String row, int n, Path upOnly, Path withDowns, int round, Path work)
            throws SQLException {
        String server = "postgres://postgres@" + env.host() + ":" + env.port();
        switch (row) {
            case SQUAWK: {
                List<String> cmd = new ArrayList<>(List.of(squawk));
                cmd.addAll(sqlFiles(upOnly));
                // squawk exits 1 when it reports findings; the run itself is what is timed.
                add(timed(row, n, round, cmd, work, List.of(0, 1)));
                break;
            }
            case STATIC:
                add(timed(row, n, round, Tool.runwayJava(env, List.of("check", "--static", "--dir", upOnly.toString())), work,
                        List.of(0)));
                break;
            case APPLY: {
                String db = "check_bench_apply_" + n;
                pg.lab().dropDatabase(db);
                pg.lab().createDatabase(db);
                try {
                    add(timed(row, n, round, Tool.runwayJava(env, List.of("release", "--url", server + "/" + db, "--dir",
                            withDowns.toString())), work, List.of(0)));
                    try (Connection c = pg.connect(db); Statement st = c.createStatement();
                         var rs = st.executeQuery("SELECT count(*) FROM runway_schema_history WHERE status = 'applied'")) {
                        rs.next();
                        if (rs.getInt(1) != n) {
                            throw new IllegalStateException("release N=" + n + " applied " + rs.getInt(1));
                        }
                    }
                } finally {
                    pg.lab().dropDatabase(db);
                }
                break;
            }
            case FULL_LAB:
            default: {
                // Exit 3: the trace reports the index builds on tables earlier files filled (RW131), as it should; the
                // run must still have checked every file.
                List<String> args = new ArrayList<>(List.of("check", "--dir", withDowns.toString()));
                if (row.equals(FULL)) {
                    args.addAll(List.of("--scratch-url", server + "/postgres"));
                }
                Sample s = timed(row, n, round, Tool.runwayJava(env, args), work, List.of(0, 3));
                String tail = lastLine(work.resolve("logs/r" + round + "-n" + n + "-" + row + ".log"));
                if (!tail.startsWith(n + " files checked (static rules + trace")) {
                    throw new IllegalStateException("check N=" + n + " did not check every file: " + tail);
                }
                add(s);
                break;
            }
        }
    }

    private void add(Sample s) {
        samples.add(s);
        log(String.format(Locale.ROOT, "  %-20s N=%-5d %7.2f s  CPU %6.2f s  %4.0f MiB  (load %.2f)", s.tool(), s.n(), s.wall(),
                s.cpu(), s.rssMib(), s.load1()));
    }

    private static String lastLine(Path log) {
        try {
            List<String> l = Files.readAllLines(log, StandardCharsets.UTF_8);
            return l.isEmpty() ? "" : l.get(l.size() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> sqlFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(Path::toString).filter(p -> p.endsWith(".sql")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Sample timed(String row, int n, int round, List<String> cmd, Path work, List<Integer> okExits) {
        double load1 = Double.parseDouble(MigrationBench.loadAvg().split(" ")[0]);
        Path log = work.resolve("logs/r" + round + "-n" + n + "-" + row + ".log");
        TimedRun.Result r = TimedRun.run(cmd, log, Map.of(), work, TIMEOUT_S);
        if (!okExits.contains(r.exitCode())) {
            throw new IllegalStateException(row + " N=" + n + " exited " + r.exitCode() + "; see " + log);
        }
        return new Sample("durable", round, n, row, "run", r.wall(), r.user(), r.sys(), r.rssKib(), load1, Double.NaN);
    }

    /** fsync and full_page_writes on, as PostgreSQL ships (the lab turns them off). */
    private static void durable(Node pg) throws SQLException, InterruptedException {
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET fsync = on");
            s.execute("ALTER SYSTEM SET full_page_writes = on");
            s.execute("SELECT pg_reload_conf()");
        }
        Thread.sleep(300);
    }

    private double median(int n, String row) {
        return Report.med(Report.select(samples, "durable", n, row, "run"), Sample::wall);
    }

    private void write(boolean last) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("Check benchmark, ").append(Instant.now()).append(", ").append(rounds)
                .append(" rounds, durable server (median, min–max of wall time; CPU = user+sys; peak RSS = median)\n\n");
        md.append("Runway runs on ").append(java == null ? "java on the PATH (" + System.getProperty("java.version") + ")"
                : java + " (Java " + Jdks.major(java) + (Jdks.major(java) >= 25 ? ", AOT cache" : ", CDS archive") + ")").append(".\n\n");
        md.append("1-minute / 5-minute / 15-minute load average before each round: ").append(String.join("; ", loads)).append("\n\n");
        md.append("| N | run | wall s (median) | min–max | CPU s | peak RSS MiB |\n|---:|---|---:|---:|---:|---:|\n");
        for (int n : sizes) {
            for (String row : ROWS) {
                List<Sample> s = Report.select(samples, "durable", n, row, "run");
                if (s.isEmpty()) {
                    continue;
                }
                md.append(String.format(Locale.ROOT, "| %d | %s | %.2f | %.2f–%.2f | %.2f | %.0f |\n", n, label(row),
                        Report.med(s, Sample::wall), s.stream().mapToDouble(Sample::wall).min().orElse(0),
                        s.stream().mapToDouble(Sample::wall).max().orElse(0), Report.med(s, Sample::cpu),
                        Report.med(s, Sample::rssMib)));
            }
        }
        md.append("\n| N | check --static / squawk | check on the durable server / release | check on its own lab / release |\n"
                + "|---:|---:|---:|---:|\n");
        for (int n : sizes) {
            md.append(String.format(Locale.ROOT, "| %d | %.2f× | %.2f× | %.2f× |\n", n, median(n, STATIC) / median(n, SQUAWK),
                    median(n, FULL) / median(n, APPLY), median(n, FULL_LAB) / median(n, APPLY)));
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("check-bench.md"), md.toString(), StandardCharsets.UTF_8);
        StringBuilder csv = new StringBuilder(Sample.CSV_HEADER).append('\n');
        samples.forEach(s -> csv.append(s.csv()).append('\n'));
        Files.writeString(out.resolve("check-bench-samples.csv"), csv.toString(), StandardCharsets.UTF_8);
        if (last) {
            System.out.println(md);
            log("wrote " + out.resolve("check-bench.md") + " and check-bench-samples.csv");
        }
    }

    private static String label(String row) {
        switch (row) {
            case SQUAWK:
                return "squawk 2.66 (static rules)";
            case STATIC:
                return "`runway check --static`";
            case APPLY:
                return "`runway release` (apply, fresh database)";
            case FULL:
                return "`runway check --scratch-url` (static + trace + round trip, same durable server)";
            default:
                return "`runway check` (static + trace + round trip, its own lab server)";
        }
    }

    private static void log(String s) {
        System.err.println("[check-bench " + Instant.now().toString().substring(11, 19) + "] " + s);
    }
}
