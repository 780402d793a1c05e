package dev.runway.bench;

import dev.runway.backfill.Backfiller;
import dev.runway.core.DatabaseUrl;
import dev.runway.core.Lsn;
import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import dev.runway.lab.Node;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.Runway;
import dev.runway.migrate.RunwayConfig;
import dev.runway.migrate.backfill.BackfillProgress;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.SumFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Backfill throughput by key type (docs/benchmarks.md, "Backfills"): on an N-row table (default
 * 1,000,000), {@code UPDATE t SET email_norm = lower(email) WHERE email_norm IS NULL} once as a single
 * statement (the floor: one transaction, the fastest the server can do it, with every row locked until
 * the end) and as a backfill through the Java API walking an integer, a uuid and a composite
 * (tenant_id, id) key, each on a fresh copy of the table. Two topologies, a fresh lab each: primary
 * only, and one replica 40 ms away (one-way, the lab's delay proxy) with {@code max-lag=1s}. For each run
 * it also measures how long the replica took, after the command returned, to replay the primary's
 * position. Prints a markdown table and writes it to {@code runway-bench/target/backfill-bench.md}. A
 * harness, not a test: it asserts nothing.
 *
 * <pre>java -cp 'runway-bench/target/classes:runway-bench/target/lib/*' dev.runway.bench.BackfillBench [rows]</pre>
 */
public final class BackfillBench {
    private BackfillBench() {
    }

    /** A table shape: its DDL (with {rows}) and the backfill's key and bounds; a null key is the single UPDATE. */
    record Variant(String name, String create, String key, String where) {
    }

    static final String COLUMNS = "email text NOT NULL, email_norm text";
    static final String EMAIL = "'User' || g || '@Example.COM'";

    static final List<Variant> VARIANTS = List.of(
            new Variant("single UPDATE (floor)", "CREATE TABLE t (id bigint PRIMARY KEY, " + COLUMNS + ");"
                    + " INSERT INTO t (id, email) SELECT g, " + EMAIL + " FROM generate_series(1, {rows}) g", null, null),
            new Variant("backfill, bigint key", "CREATE TABLE t (id bigint PRIMARY KEY, " + COLUMNS + ");"
                    + " INSERT INTO t (id, email) SELECT g, " + EMAIL + " FROM generate_series(1, {rows}) g", "id",
                    "id >= :lo AND id < :hi"),
            new Variant("backfill, uuid key", "CREATE TABLE t (id uuid PRIMARY KEY, " + COLUMNS + ");"
                    + " INSERT INTO t (id, email) SELECT gen_random_uuid(), " + EMAIL + " FROM generate_series(1, {rows}) g", "id",
                    "id >= :first AND id <= :last"),
            new Variant("backfill, (tenant_id, id) key", "CREATE TABLE t (tenant_id int NOT NULL, id bigint NOT NULL, " + COLUMNS
                    + ", PRIMARY KEY (tenant_id, id)); INSERT INTO t (tenant_id, id, email) SELECT g % 100, g, " + EMAIL
                    + " FROM generate_series(1, {rows}) g", "tenant_id,id",
                    "(tenant_id, id) >= (:first_tenant_id, :first_id) AND (tenant_id, id) <= (:last_tenant_id, :last_id)"));

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        List<String> lines = new ArrayList<>();
        lines.add("| topology | run | rows | batches | wall s | rows/s | lag waits | replica behind at the end, ms |");
        lines.add("|---|---|---|---|---|---|---|---|");
        Path work = Files.createTempDirectory("backfill-bench");
        for (Duration delay : new Duration[] {null, Duration.ofMillis(40)}) {
            LabConfig.Builder cfg = LabConfig.builder().replicas(delay == null ? 0 : 1);
            if (delay != null) {
                cfg.delay("replica1", delay);
            }
            String topology = delay == null ? "primary only" : "replica 40 ms away, max-lag=1s";
            try (Lab lab = Lab.start(cfg.build())) {
                int n = 0;
                for (Variant v : VARIANTS) {
                    String db = "bench" + ++n;
                    lab.createDatabase(db);
                    try (Connection c = lab.primary().connect(db); Statement st = c.createStatement()) {
                        st.execute(v.create().replace("{rows}", String.valueOf(rows)));
                        st.execute("VACUUM ANALYZE t");
                    }
                    lab.waitForReplay(lab.primary().currentWalLsn(), Duration.ofMinutes(5));
                    String line = v.key() == null ? floor(lab, db, topology, v, rows)
                            : backfill(lab, db, work.resolve(db), topology, v, delay == null ? "0" : "1s");
                    lines.add(line);
                    System.out.println(line);
                    lab.dropDatabase(db);
                }
            }
        }
        Path out = Path.of("runway-bench", "target", "backfill-bench.md");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        lines.forEach(System.out::println);
        System.out.println("written to " + out);
    }

    static String floor(Lab lab, String db, String topology, Variant v, int rows) throws Exception {
        long t0 = System.nanoTime();
        long updated;
        try (Connection c = lab.primary().connect(db); Statement st = c.createStatement()) {
            updated = st.executeUpdate("UPDATE t SET email_norm = lower(email) WHERE email_norm IS NULL");
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return String.format(Locale.ROOT, "| %s | %s | %d | 1 | %.2f | %.0f | - | %s |", topology, v.name(), updated, secs,
                updated / secs, behind(lab));
    }

    static String backfill(Lab lab, String db, Path dir, String topology, Variant v, String maxLag) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("1_email_norm.sql"), "-- runway:backfill table=t key=" + v.key() + " batch=5000 max-lag="
                + maxLag + "\n-- runway:up\nUPDATE t SET email_norm = lower(email)\n WHERE " + v.where() + " AND email_norm IS NULL;\n");
        SumFile.write(data);
        long[] waits = {0};
        BackfillProgress[] last = {null};
        MigrationListener l = new MigrationListener() {
            @Override
            public void backfillProgress(Migration m, BackfillProgress p) {
                last[0] = p;
            }

            @Override
            public void backfillWaiting(Migration m, String reason, Duration waited) {
                waits[0]++;
            }
        };
        DatabaseUrl url = lab.primary().url(db);
        long t0 = System.nanoTime();
        Runway.create(RunwayConfig.builder().url(url).dir(dir).build()).migrateData(MigrateOptions.ALL, l, new Backfiller());
        double secs = (System.nanoTime() - t0) / 1e9;
        return String.format(Locale.ROOT, "| %s | %s | %d | %d | %.2f | %.0f | %d | %s |", topology, v.name(), last[0].rows(),
                last[0].batches(), secs, last[0].rows() / secs, waits[0], behind(lab));
    }

    /** How long the replica takes from now to replay the primary's current position, in ms; "-" without replicas. */
    static String behind(Lab lab) {
        if (lab.replicas().isEmpty()) {
            return "-";
        }
        Lsn target = lab.primary().currentWalLsn();
        long t0 = System.nanoTime();
        for (Node r : lab.replicas()) {
            lab.waitForReplay(target, Duration.ofMinutes(5));
        }
        return String.valueOf((System.nanoTime() - t0) / 1_000_000);
    }
}
