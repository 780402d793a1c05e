package dev.runway.bench;

import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import dev.runway.lab.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
 * The migration benchmark of issue #3: Runway side by side with Flyway, Liquibase and psql.
 *
 * <p>For each round, each size N and each tool (tools interleaved, their order rotated every round):
 * create a fresh database, apply the N migrations under GNU time, verify the result (user tables,
 * columns, indexes, rows and history rows counted), run the same command again as a no-op, verify
 * again, drop the database. A CHECKPOINT before each apply: every tool starts from the same quiet server. Reports the
 * median of the rounds with min–max, CPU (user+sys) and peak RSS, the server's CPU during the run ({@link ServerCpu}),
 * and the 1-minute load average before every round. Starts its own lab server (no replicas) and
 * stops it at the end.
 *
 * <p>{@code runway-script} and {@code runway-bundle} are not tools of their own in the rotation: when
 * listed, the same no-op is also run through the {@code ./runway} script, and through the release
 * bundle's {@code bin/runway} (unpacked from runway-dist/target), right after Runway's, to show what
 * each launcher adds.
 *
 * <p>Run from the repository root after {@code mvn -q -B -pl runway-bench -am package -DskipTests}:
 * <pre>java -cp 'runway-bench/target/classes:runway-bench/target/lib/*' dev.runway.bench.MigrationBench --rounds 5</pre>
 * Options: {@code --rounds R} (5), {@code --sizes 1,100,1000}, {@code --tools psql,psql-async,runway,flyway,liquibase,runway-script,runway-bundle,runway-aot,runway-runtime}
 * ({@code psql-async}: psql with {@code PGOPTIONS='-c synchronous_commit=off'}, not in the default list; {@code runway-aot}: Runway on the newest JDK 25+ under /usr/lib/jvm with its AOT cache;
 * {@code runway-runtime}: the self-contained bundle, on its own Java 25+ runtime),
 * {@code --durability durable|lab|both|sync-standby} (durable; sync-standby: durable, with one replica 1 ms away as
 * the synchronous standby), {@code --out DIR} (runway-bench/target).
 */
public final class MigrationBench {
    private static final long TIMEOUT_S = 300;
    /** How long after a run its server CPU is read: the backend of a session that just closed is reaped by then. */
    private static final long SETTLE_MS = 200;
    private static final String SYNC_STANDBY = "sync-standby";

    private final Path repo;
    private final Path out;
    private final int rounds;
    private final List<Integer> sizes;
    private final List<Tool> tools;
    /** Other ways to launch Runway (./runway, the bundle's bin/runway), timed on Runway's no-op right after it. */
    private final List<Tool> launchers = new ArrayList<>();
    private final List<String> durabilities;
    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, String> roundLoads = new LinkedHashMap<>();
    private final Map<String, String> serverSettings = new LinkedHashMap<>();

    private MigrationBench(Path repo, Path out, int rounds, List<Integer> sizes, List<Tool> tools, List<String> durabilities) {
        this.repo = repo;
        this.out = out;
        this.rounds = rounds;
        this.sizes = sizes;
        for (Tool l : List.of(Tool.RUNWAY_SCRIPT, Tool.RUNWAY_BUNDLE)) {
            if (tools.remove(l)) {
                launchers.add(l);
            }
        }
        this.tools = tools;
        this.durabilities = durabilities;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("--rounds", "5");
        o.put("--sizes", "1,100,1000");
        o.put("--tools", "psql,runway,flyway,liquibase,runway-script");
        o.put("--durability", "durable");
        o.put("--out", "runway-bench/target");
        for (int i = 0; i < args.length; i += 2) {
            if (!o.containsKey(args[i]) || i + 1 >= args.length) {
                System.err.println("usage: MigrationBench [--rounds R] [--sizes 1,100,1000] [--tools "
                        + o.get("--tools") + " (also psql-async, runway-bundle, runway-aot, runway-runtime)] [--durability durable|lab|both|sync-standby] [--out DIR]");
                System.exit(2);
            }
            o.put(args[i], args[i + 1]);
        }
        Path repo = Path.of("").toAbsolutePath();
        List<Integer> sizes = Arrays.stream(o.get("--sizes").split(",")).map(Integer::parseInt).collect(Collectors.toList());
        List<Tool> tools = Arrays.stream(o.get("--tools").split(",")).map(Tool::byKey).collect(Collectors.toList());
        String d = o.get("--durability");
        List<String> durabilities = d.equals("both") ? List.of("durable", "lab") : List.of(d);
        if (!List.of("durable", "lab", SYNC_STANDBY).containsAll(durabilities)) {
            throw new IllegalArgumentException("--durability: expected durable, lab, both or " + SYNC_STANDBY + ", got " + d);
        }
        new MigrationBench(repo, repo.resolve(o.get("--out")), Integer.parseInt(o.get("--rounds")), sizes, tools, durabilities)
                .run();
    }

    private void run() throws Exception {
        Path jar = repo.resolve("runway-cli/target/runway.jar");
        Path jsa = repo.resolve("runway-cli/target/runway.jsa");
        Path lib = repo.resolve("runway-bench/target");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib.resolve("lib-flyway"))) {
            throw new IllegalStateException("run from the repository root after: mvn -q -B -pl runway-bench -am package -DskipTests");
        }
        Path work = out.resolve("bench-work");
        Files.createDirectories(work.resolve("logs"));
        ensureCdsArchive(jar, jsa, work);
        Path bundle = launchers.contains(Tool.RUNWAY_BUNDLE) ? unpackBundle(work, false) : null;
        Path runtime = tools.contains(Tool.RUNWAY_RUNTIME) ? unpackBundle(work, true) : null;
        Map<Integer, MigrationFiles.Layout> layouts = new LinkedHashMap<>();
        for (int n : sizes) {
            layouts.put(n, MigrationFiles.write(work.resolve("n" + n), n));
        }
        String classes = lib.resolve("classes").toString();
        for (String durability : durabilities) {
            try (Lab lab = Lab.start(labConfig(durability))) {
                Node pg = lab.primary();
                Tool.Env env = new Tool.Env(repo, jar, jsa, bundle, runtime, classes + ":" + jars(lib.resolve("lib-flyway")),
                        jars(lib.resolve("lib-liquibase")), pg.host(), pg.port());
                log("lab: PostgreSQL " + lab.version() + " on " + pg.host() + ":" + pg.port());
                configure(pg, durability);
                warmUp(pg, env, layouts.get(sizes.get(0)), durability);
                for (int r = 1; r <= rounds; r++) {
                    String load = loadAvg();
                    roundLoads.put(durability + " round " + r, load);
                    log(durability + " round " + r + "/" + rounds + ", load average " + load);
                    samples.add(timed(null, durability, r, 0, Report.FLOOR, "noop", List.of("java", "-version"), work));
                    for (int n : sizes) {
                        for (int i = 0; i < tools.size(); i++) {
                            Tool t = tools.get((i + r - 1) % tools.size());
                            measure(pg, env, t, n, layouts.get(n), durability, r, work);
                        }
                    }
                    writeResults(false); // partial results survive an interrupted run
                }
            }
        }
    }

    /**
     * Lets the launcher itself (re)build the jar and train its start-up archive (runway.jsa; runway.aot for Java 25+ when
     * {@code runway-aot} runs), exactly as a user's first ./runway does; the launcher retrains only when the jar or the
     * Java runtime changed.
     */
    private void ensureCdsArchive(Path jar, Path jsa, Path work) throws IOException, InterruptedException {
        log("letting ./runway train its start-up archive when " + jsa + " is missing or stale");
        train(repo, null, work.resolve("logs/cds-training.log"));
        if (tools.contains(Tool.RUNWAY_AOT)) {
            train(repo, Jdks.newest(25), work.resolve("logs/aot-training.log"));
        }
    }

    /** Runs {@code ./runway --version} on {@code java} (null: the PATH's), which trains the archive it needs. */
    static void train(Path repo, Path java, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("runway").toString(), "--version").redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("RUNWAY_JAVA");
        if (java != null) {
            pb.environment().put("RUNWAY_JAVA", java.toString());
        }
        if (pb.start().waitFor() != 0) {
            throw new IllegalStateException("./runway --version failed: see " + log);
        }
    }

    /**
     * Unpacks runway-dist's tar.gz (the portable one, or the self-contained {@code runway-VERSION-linux-ARCH.tar.gz} with
     * its own runtime) into the work directory and lets its launcher train its own archive (its first run), as a user's
     * install does. Returns {@code bin/runway}.
     */
    private Path unpackBundle(Path work, boolean selfContained) throws IOException, InterruptedException {
        Path tgz;
        String build = "mvn -q -B -pl runway-dist -am package -DskipTests" + (selfContained ? " (with a JDK 25+ under /usr/lib/jvm)" : "");
        try (Stream<Path> s = Files.list(repo.resolve("runway-dist/target"))) {
            tgz = s.filter(p -> p.getFileName().toString().matches("runway-.*\\.tar\\.gz")
                    && p.getFileName().toString().matches(".*-linux-[a-z0-9]+\\.tar\\.gz") == selfContained).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + (selfContained ? "self-contained " : "") + "bundle: " + build));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException("no bundle: " + build);
        }
        Path dir = work.resolve(selfContained ? "runtime-bundle" : "bundle");
        deleteTree(dir);
        Files.createDirectories(dir);
        new ProcessBuilder("tar", "xzf", tgz.toString(), "-C", dir.toString()).inheritIO().start().waitFor();
        Path launcher;
        try (Stream<Path> s = Files.list(dir)) {
            launcher = s.findFirst().orElseThrow().resolve("bin/runway");
        }
        log("letting the bundle's " + launcher + " train its archive");
        new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true)
                .redirectOutput(work.resolve("logs/" + dir.getFileName() + "-cds-training.log").toFile()).start().waitFor();
        return launcher;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }

    private static String jars(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jar")).sorted().map(Path::toString).collect(Collectors.joining(":"));
        }
    }

    /** sync-standby: one replica behind the lab's delay proxy, 1 ms one way; otherwise the primary alone. */
    private static LabConfig labConfig(String durability) {
        return durability.equals(SYNC_STANDBY)
                ? LabConfig.builder().replicas(1).delay("replica1", Duration.ofMillis(1)).build()
                : LabConfig.builder().replicas(0).build();
    }

    /** Waits until the replica streams as the synchronous standby (a commit that would not wait is no measurement). */
    private static void awaitSyncStandby(Statement s) throws SQLException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")) {
                rs.next();
                if (rs.getInt(1) == 1) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the replica did not become the synchronous standby within 10 s");
    }

    /**
     * durable: fsync and full_page_writes back on (PostgreSQL defaults, as in the research table); lab: as the lab ships;
     * sync-standby: durable, and every commit waits for the replica ({@code synchronous_standby_names = '*'}).
     */
    private void configure(Node pg, String durability) throws SQLException {
        String v = durability.equals("lab") ? "off" : "on";
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER SYSTEM SET fsync = " + v);
            s.execute("ALTER SYSTEM SET full_page_writes = " + v);
            s.execute("ALTER SYSTEM SET synchronous_commit = on");
            s.execute("ALTER SYSTEM SET synchronous_standby_names = '" + (durability.equals(SYNC_STANDBY) ? "*" : "") + "'");
            s.execute("SELECT pg_reload_conf()");
            Thread.sleep(300);
            if (durability.equals(SYNC_STANDBY)) {
                awaitSyncStandby(s);
            }
            StringBuilder b = new StringBuilder();
            for (String name : List.of("fsync", "full_page_writes", "synchronous_commit", "synchronous_standby_names",
                    "shared_buffers", "wal_level")) {
                try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                    rs.next();
                    b.append(name).append('=').append(rs.getString(1)).append(' ');
                }
            }
            serverSettings.put(durability, b.toString().trim());
            log(durability + ": " + b);
            if (!b.toString().contains("fsync=" + v)) {
                throw new IllegalStateException("fsync did not become " + v + ": " + b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void warmUp(Node pg, Tool.Env env, MigrationFiles.Layout files, String durability) throws Exception {
        log(durability + ": warm-up (not recorded)");
        int n = sizes.get(0);
        for (Tool t : tools) {
            measure(pg, env, t, n, files, durability, 0, out.resolve("bench-work"));
        }
        samples.removeIf(s -> s.round() == 0);
    }

    private void measure(Node pg, Tool.Env env, Tool t, int n, MigrationFiles.Layout files, String durability, int round,
                         Path work) throws SQLException {
        String db = "bench_" + t.key().replace('-', '_') + "_" + n;
        pg.lab().dropDatabase(db);
        pg.lab().createDatabase(db);
        try {
            // Every tool starts from the same quiet server: the WAL and dirty pages of the last run, its DROP DATABASE
            // and this CREATE DATABASE written out, and no checkpoint due to land inside one tool's run.
            checkpoint(pg);
            Sample apply = timed(pg, durability, round, n, t.key(), "apply", t.apply(env, files, db), work);
            verify(pg, db, t, n, "apply", apply);
            Sample noop = timed(pg, durability, round, n, t.key(), "noop", t.noop(env, files, db), work);
            verify(pg, db, t, n, "no-op", noop);
            samples.add(apply);
            samples.add(noop);
            for (Tool l : t == Tool.RUNWAY ? launchers : List.<Tool>of()) {
                // A launcher's own cost (bash, its checks) on the same no-op.
                Sample viaLauncher = timed(pg, durability, round, n, l.key(), "noop", l.noop(env, files, db), work);
                verify(pg, db, t, n, "no-op via " + l.label(), viaLauncher);
                samples.add(viaLauncher);
            }
            log(String.format(Locale.ROOT, "  %-14s N=%-5d apply %6.2f s %4.0f MiB   no-op %5.2f s %4.0f MiB  (load %.2f)",
                    t.key(), n, apply.wall(), apply.rssMib(), noop.wall(), noop.rssMib(), noop.load1()));
        } finally {
            pg.lab().dropDatabase(db);
        }
    }

    private static void checkpoint(Node pg) throws SQLException {
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    /** Runs {@code cmd} under GNU time; with {@code pg} (else null), also what the run cost that server's CPU. */
    private Sample timed(Node pg, String durability, int round, int n, String tool, String phase, List<String> cmd, Path work) {
        double load1 = Double.parseDouble(loadAvg().split(" ")[0]);
        long pid = pg == null ? 0 : pg.pid();
        double serverBefore = pid == 0 ? Double.NaN : ServerCpu.seconds(pid);
        Path log = work.resolve("logs/" + durability + "-r" + round + "-n" + n + "-" + tool + "-" + phase + ".log");
        Map<String, String> env = new LinkedHashMap<>();
        // Liquibase 5 sends usage analytics by default; there is no network here, and no tool should pay for a failed call.
        env.put("LIQUIBASE_ANALYTICS_ENABLED", "false");
        TimedRun.Result r = TimedRun.run(cmd, log, env, work, TIMEOUT_S);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(tool + " " + phase + " N=" + n + " exited " + r.exitCode() + "; see " + log);
        }
        double server = Double.NaN;
        if (pid != 0) {
            try {
                Thread.sleep(SETTLE_MS); // the session's backend ends after its client: let the postmaster reap it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = ServerCpu.seconds(pid) - serverBefore;
        }
        return new Sample(durability, round, n, tool, phase, r.wall(), r.user(), r.sys(), r.rssKib(), load1, server);
    }

    /** Counts what the run left behind; a wrong count stops the benchmark (a fast wrong run is not a result). */
    private static void verify(Node pg, String db, Tool t, int n, String phase, Sample s) throws SQLException {
        MigrationFiles.Expected want = MigrationFiles.expected(n);
        try (Connection c = pg.connect(db); Statement st = c.createStatement()) {
            String user = "t.relnamespace = 'public'::regnamespace AND t.relname ~ '^t_[0-9]+$'";
            long tables = count(st, "SELECT count(*) FROM pg_class t WHERE t.relkind = 'r' AND "
                    + user);
            long columns = count(st, "SELECT count(*) FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid"
                    + " WHERE a.attnum > 0 AND NOT a.attisdropped AND t.relkind = 'r' AND " + user);
            long indexes = count(st, "SELECT count(*) FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
                    + " WHERE " + user);
            long rows = count(st, "SELECT coalesce(sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I',"
                    + " relname), false, true, '')))[1]::text::bigint), 0) FROM pg_class t"
                    + " WHERE t.relkind = 'r' AND " + user);
            long history = t.historySql() == null ? n : count(st, t.historySql());
            if (tables != want.tables() || columns != want.columns() || indexes != want.indexes() || rows != want.rows()
                    || history != n) {
                throw new IllegalStateException(String.format(Locale.ROOT, "%s %s N=%d left tables=%d columns=%d indexes=%d rows=%d"
                        + " history=%d; expected %s and %d history rows", t.key(), phase, n, tables, columns, indexes, rows,
                        history, want, n));
            }
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String loadAvg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "? ? ?";
        }
    }

    private static void log(String s) {
        System.err.println("[bench " + Instant.now().toString().substring(11, 19) + "] " + s);
    }

    private void writeResults(boolean last) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("Migration benchmark, ").append(Instant.now()).append(", ").append(rounds)
                .append(" rounds (median, min–max of wall time; CPU = user+sys; peak RSS = median)\n\n");
        for (String d : durabilities) {
            md.append("### Server: ").append(d).append(" (").append(serverSettings.get(d)).append(")\n\n");
            md.append("1-minute / 5-minute / 15-minute load average before each round: ");
            md.append(roundLoads.entrySet().stream().filter(e -> e.getKey().startsWith(d))
                    .map(e -> e.getKey().substring(d.length() + 1) + " " + e.getValue()).collect(Collectors.joining("; ")));
            List<Double> loads = samples.stream().filter(s -> s.durability().equals(d)).map(Sample::load1)
                    .collect(Collectors.toList());
            md.append(String.format(Locale.ROOT, " (1-min load over all samples: median %.2f, min %.2f, max %.2f)\n\n",
                    Report.median(loads), loads.stream().mapToDouble(x -> x).min().orElse(0),
                    loads.stream().mapToDouble(x -> x).max().orElse(0)));
            List<Tool> shown = new ArrayList<>(tools);
            shown.addAll(shown.indexOf(Tool.RUNWAY) + 1, launchers);
            md.append(Report.table(samples, d, sizes, shown)).append('\n');
            int big = sizes.get(sizes.size() - 1);
            if (tools.containsAll(List.of(Tool.PSQL, Tool.RUNWAY, Tool.FLYWAY, Tool.LIQUIBASE))) {
                md.append(Report.targets(samples, d, big)).append('\n');
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("migration-bench.md"), md.toString(), StandardCharsets.UTF_8);
        StringBuilder csv = new StringBuilder(Sample.CSV_HEADER).append('\n');
        samples.forEach(s -> csv.append(s.csv()).append('\n'));
        Files.writeString(out.resolve("migration-bench-samples.csv"), csv.toString(), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("migration-bench-samples.json"),
                samples.stream().map(Sample::json).collect(Collectors.joining(",\n", "[\n", "\n]\n")), StandardCharsets.UTF_8);
        if (!last) {
            return;
        }
        System.out.println(md);
        log("wrote " + out.resolve("migration-bench.md") + ", migration-bench-samples.csv and .json");
    }
}
