package dev.runway.bench;

import dev.runway.backfill.Backfiller;
import dev.runway.core.DatabaseUrl;
import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
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
 * Backfill throughput (docs/benchmarks.md, "Backfills"): one backfill of an N-row table (default
 * 1,000,000) through the Java API on a fresh lab per scenario: primary only; one replica that keeps
 * up; one replica 40 ms away (one-way, the lab's delay proxy) with a max-lag the delay exceeds.
 * Prints a markdown table and writes it to {@code runway-bench/target/backfill-bench.md}. A harness,
 * not a test: it asserts nothing.
 *
 * <pre>java -cp 'runway-bench/target/classes:runway-bench/target/lib/*' dev.runway.bench.BackfillBench [rows]</pre>
 */
public final class BackfillBench {
    private BackfillBench() {
    }

    record Scenario(String name, int replicas, Duration delay, String maxLag) {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        List<Scenario> scenarios = List.of(
                new Scenario("primary only", 0, null, "0"),
                new Scenario("1 replica keeping up, max-lag=1s", 1, null, "1s"),
                new Scenario("1 replica 40 ms away, max-lag=50ms", 1, Duration.ofMillis(40), "50ms"));
        List<String> lines = new ArrayList<>();
        lines.add("| scenario | rows | batches | wall s | rows/s | lag waits (events) | final batch size |");
        lines.add("|---|---|---|---|---|---|---|");
        Path work = Files.createTempDirectory("backfill-bench");
        for (Scenario s : scenarios) {
            LabConfig.Builder cfg = LabConfig.builder().replicas(s.replicas());
            if (s.delay() != null) {
                cfg.delay("replica1", s.delay());
            }
            try (Lab lab = Lab.start(cfg.build())) {
                lab.createDatabase("bench");
                DatabaseUrl url = lab.primary().url("bench");
                try (Connection c = lab.primary().connect("bench"); Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE users (id bigint PRIMARY KEY, email text, email_norm text);"
                            + " INSERT INTO users (id, email) SELECT g, 'User' || g || '@Example.COM' FROM generate_series(1, " + rows
                            + ") g");
                    st.execute("VACUUM ANALYZE users");
                }
                Path dir = work.resolve(s.name().replaceAll("[^a-z0-9]+", "_"));
                Path data = Files.createDirectories(dir.resolve("data"));
                Files.writeString(data.resolve("1_email_norm.sql"), "-- runway:backfill table=users key=id batch=5000 max-lag="
                        + s.maxLag() + "\n-- runway:up\nUPDATE users SET email_norm = lower(email)\n"
                        + " WHERE id >= :lo AND id < :hi AND email_norm IS NULL;\n");
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
                long t0 = System.nanoTime();
                Runway.create(RunwayConfig.builder().url(url).dir(dir).build()).migrateData(MigrateOptions.ALL, l, new Backfiller());
                double secs = (System.nanoTime() - t0) / 1e9;
                lines.add(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.0f | %d | %d |", s.name(), last[0].rows(),
                        last[0].batches(), secs, last[0].rows() / secs, waits[0], last[0].batchSize()));
                System.out.println(lines.get(lines.size() - 1));
            }
        }
        Path out = Path.of("runway-bench", "target", "backfill-bench.md");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        lines.forEach(System.out::println);
        System.out.println("written to " + out);
    }
}
