package dev.runway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.backup.S3ProxyServer;
import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import dev.runway.lab.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code release --backup s3://…} of a large database to S3Proxy on loopback, against {@code pg_dump -Fc > file}
 * alone on the same server in the same run (issue #13: at least 90 % of pg_dump's throughput, the Runway
 * process's peak RSS at most 256 MiB). Each round runs, in rotating order under GNU time, pg_dump alone, Runway
 * with the launcher's flags for a release that backs up (the full JIT: C2's SHA-256 intrinsics), and Runway with
 * C1 only (a hand-written {@code release_command} that keeps {@code -XX:TieredStopAtLevel=1}).
 *
 * <pre>
 * mvn -q -B -pl runway-bench -am package -DskipTests
 * java -cp 'runway-bench/target/classes:runway-bench/target/lib/*' dev.runway.bench.BackupBench --gib 1 --rounds 3
 * </pre>
 * Prints a markdown table and writes it to {@code runway-bench/target/backup-bench.md}.
 */
public final class BackupBench {
    private BackupBench() {
    }

    public static void main(String[] args) throws Exception {
        double gib = 1.0;
        int rounds = 3;
        List<String> extraJvm = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--gib": gib = Double.parseDouble(args[++i]); break;
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                case "--runway-jvm": extraJvm.add(args[++i]); break; // e.g. a profiler agent for the Runway runs
                default: throw new IllegalArgumentException("unknown option " + args[i] + " (--gib G, --rounds N, --runway-jvm FLAG)");
            }
        }
        Path repo = Path.of("").toAbsolutePath();
        Path jar = repo.resolve("runway-cli/target/runway.jar");
        Path jsa = repo.resolve("runway-cli/target/runway.jsa");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("run from the repository root after: mvn -q -B -pl runway-bench -am package -DskipTests");
        }
        Path work = Files.createDirectories(repo.resolve("runway-bench/target/backup-bench"));
        Path migrations = Files.createDirectories(work.resolve("migrations"));
        Files.writeString(migrations.resolve("1_marker.sql"), "-- runway:up\nSELECT 1;\n");
        dev.runway.migrate.dir.SumFile.write(migrations);
        List<String> rows = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Lab lab = Lab.start(LabConfig.builder().replicas(0).build());
             S3ProxyServer s3 = S3ProxyServer.start(Files.createTempDirectory(work, "s3proxy-"))) {
            Node pg = lab.primary();
            lab.createDatabase("bench");
            long dbBytes = fill(pg, gib);
            log("database bench: " + mib(dbBytes) + " MiB (pg_database_size), PostgreSQL " + lab.version());
            String bucket = s3.createBucket("bench");
            String url = "postgres://postgres@" + pg.host() + ":" + pg.port() + "/bench";
            Map<String, String> env = new java.util.HashMap<>(s3.env(bucket));
            for (int r = 1; r <= rounds; r++) {
                String load = Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
                for (int k = 0; k < 3; k++) {
                    int turn = (k + r) % 3;
                    if (turn == 0) {
                        Path file = work.resolve("plain.dump");
                        TimedRun.Result t = TimedRun.run(List.of("pg_dump", "-Fc", "-f", file.toString(), "-h", pg.host(), "-p",
                                String.valueOf(pg.port()), "-U", "postgres", "bench"), work.resolve("pg_dump-" + r + ".log"), Map.of(), work, 3600);
                        long size = Files.size(file);
                        Files.delete(file);
                        check(t, "pg_dump");
                        rows.add(row(r, load, "`pg_dump -Fc -f file`", size, t.wall(), t.wall(), t));
                        continue;
                    }
                    // turn 1: the launcher's flags for a release that backs up (C2 kept); turn 2: C1 only, as a
                    // hand-written release_command with -XX:TieredStopAtLevel=1 runs it.
                    boolean c1Only = turn == 2;
                    List<String> cmd = Tool.runwayJava(new Tool.Env(repo, jar, jsa, null, null, "", "", pg.host(), pg.port()), List.of("release",
                            "--url", url, "--dir", migrations.toString(), "--table", "bench_history_" + r + "_" + System.nanoTime(),
                            "--backup", "s3://" + bucket + "/r" + r + (c1Only ? "c1" : "") + "/", "--format", "json"));
                    if (!c1Only) {
                        cmd.remove("-XX:TieredStopAtLevel=1");
                        cmd.remove(Tool.ONE_COMPILER); // C2 needs a thread of its own, as the launcher knows
                    }
                    cmd.addAll(1, extraJvm);
                    if (!Files.isRegularFile(jsa)) {
                        cmd.removeIf(a -> a.startsWith("-XX:SharedArchiveFile") || a.startsWith("-Xlog:cds"));
                    }
                    Path log = work.resolve("runway-" + r + (c1Only ? "-c1" : "") + ".log");
                    TimedRun.Result t = TimedRun.run(cmd, log, env, work, 3600);
                    check(t, "runway release --backup");
                    String out = Files.readString(log);
                    JsonNode b = json.readTree(out.substring(out.indexOf('{'))).get("backup");
                    rows.add(row(r, load, c1Only ? "`runway release --backup s3://…`, C1 only (`-XX:TieredStopAtLevel=1` by hand)"
                            : "`runway release --backup s3://…` (launcher's flags: C2 kept)", b.get("size").asLong(),
                            b.get("duration_ms").asDouble() / 1000, t.wall(), t));
                }
            }
            String table = "Backup benchmark, " + Instant.now() + ", database " + mib(dbBytes) + " MiB, PostgreSQL " + lab.version()
                    + ", S3Proxy " + "filesystem-nio2 on loopback, part size 8 MiB, 2 uploads\n\n"
                    + "| round | load (1 min) | tool | dump MiB | dump phase s | throughput MiB/s | process wall s | CPU s | peak RSS MiB |\n"
                    + "|---:|---:|---|---:|---:|---:|---:|---:|---:|\n" + String.join("\n", rows) + "\n";
            System.out.println(table);
            Files.writeString(repo.resolve("runway-bench/target/backup-bench.md"), table);
        }
    }

    private static void check(TimedRun.Result t, String what) throws java.io.IOException {
        if (t.exitCode() != 0) {
            throw new IllegalStateException(what + " failed (exit " + t.exitCode() + "): " + Files.readString(t.log()));
        }
    }

    private static String row(int round, String load, String tool, long bytes, double dumpSeconds, double wall, TimedRun.Result t) {
        return String.format(Locale.ROOT, "| %d | %s | %s | %.1f | %.2f | %.1f | %.2f | %.2f | %d |", round, load, tool, bytes / 1048576.0,
                dumpSeconds, bytes / 1048576.0 / dumpSeconds, wall, t.cpu(), t.rssKib() / 1024);
    }

    /** Rows of random-looking text until the database holds {@code gib} GiB; returns pg_database_size. */
    private static long fill(Node pg, double gib) throws Exception {
        try (Connection c = pg.connect("bench"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS big (id bigint, a text, b text, n numeric, t timestamptz)");
            long target = (long) (gib * (1L << 30));
            long id = 0;
            while (size(s) < target) {
                s.execute("INSERT INTO big SELECT g, md5(g::text) || md5(random()::text), md5(random()::text), random() * 1e6,"
                        + " now() - g * interval '1 second' FROM generate_series(" + (id + 1) + ", " + (id + 1_000_000) + ") g");
                id += 1_000_000;
                log("  " + id + " rows, " + mib(size(s)) + " MiB");
            }
            s.execute("CREATE INDEX IF NOT EXISTS big_id ON big (id)");
            return size(s);
        }
    }

    private static long size(Statement s) throws java.sql.SQLException {
        try (ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long mib(long b) {
        return b >> 20;
    }

    private static void log(String s) {
        System.out.println("[backup-bench] " + s);
    }
}
