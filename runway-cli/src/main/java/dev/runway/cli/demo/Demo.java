package dev.runway.cli.demo;

import dev.runway.cli.BuildInfo;
import dev.runway.cli.output.Output;
import dev.runway.cli.output.TextMigrationRenderer;
import dev.runway.core.DatabaseUrl;
import dev.runway.core.RunwayException;
import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import dev.runway.migrate.MigrateOptions;
import dev.runway.migrate.MigrateResult;
import dev.runway.migrate.MigrationStatus;
import dev.runway.migrate.Runway;
import dev.runway.migrate.RunwayConfig;
import dev.runway.migrate.dir.SumFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** The narrated walk-through behind {@code runway demo}. Prints to one stream; cleans up everything it starts. */
public final class Demo {
    private final PrintStream out;
    private final String pg;
    private final Output o;
    private int step;

    public Demo(PrintStream out, String pg) {
        this.out = out;
        this.pg = pg;
        this.o = new Output(out, out, false, Output.colorWanted());
    }

    public int run() throws Exception {
        long t0 = System.nanoTime();
        Path work = Files.createTempDirectory("runway-demo-");
        try {
            title("Starting a local lab: a PostgreSQL primary and one streaming replica on 127.0.0.1");
            try (Lab lab = Lab.start(LabConfig.builder().replicas(1).pgVersion(pg).build())) {
                out.println("  PostgreSQL " + lab.version() + ", primary on port " + lab.primary().port() + ", replica1 on port "
                        + lab.replicas().get(0).port());
                lab.createDatabase("shop");
                DatabaseUrl url = lab.primary().url("shop");
                Path dir = work.resolve("migrations");
                writeExamples(dir);
                story(lab, url, dir);
            }
            out.printf("%nDone in %.1fs. The lab is stopped and its files are gone.%n", (System.nanoTime() - t0) / 1e9);
            String rw = BuildInfo.command();
            out.println("Next: " + rw + " lab up, then eval \"$(" + rw + " lab env)\" and "
                    + (BuildInfo.fromCheckout() ? rw + " release --dir examples/migrations"
                            : rw + " new <name> (writes migrations/<version>_<name>.sql) and " + rw + " release"));
            return 0;
        } finally {
            deleteTree(work);
        }
    }

    private void story(Lab lab, DatabaseUrl url, Path dir) throws Exception {
        Runway runway = Runway.create(config(url, dir, "runway release").build());
        title("runway release: verify runway.sum, then apply the pending migrations under the migration lock");
        out.println("  (each migration runs in its own transaction with lock_timeout; the CONCURRENTLY index runs outside one)");
        out.println();
        release(runway, o);

        title("runway status");
        for (MigrationStatus s : runway.status().migrations()) {
            out.printf("  %s  %-28s %s%n", s.version(), s.name(), o.green(s.state().label()));
        }
        try (Connection c = lab.replicas().get(0).connect("shop");
             Statement st = c.createStatement()) {
            lab.waitForReplay(lab.primary().currentWalLsn(), Duration.ofSeconds(10));
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders'")) {
                rs.next();
                out.println("  The replica already has the new schema: orders has " + rs.getInt(1) + " columns there too.");
            }
        }

        title("A migration that fails half-way is rolled back whole: nothing is left behind");
        Files.writeString(dir.resolve("20250401000000_add_coupons.sql"), "-- runway:up\n"
                + "CREATE TABLE coupons (code text PRIMARY KEY, percent int NOT NULL);\n"
                + "INSERT INTO coupons VALUES ('WELCOME', 10), ('WELCOME', 20);  -- duplicate key: fails\n"
                + "\n-- runway:down\nDROP TABLE coupons;\n");
        SumFile.write(dir);
        try {
            release(runway, o);
        } catch (RunwayException e) {
            out.println("  runway exits with code " + e.code().exitCode() + ": " + e.getMessage());
        }
        try (Connection c = lab.primary().connect("shop"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('coupons') IS NULL")) {
            rs.next();
            out.println("  Table coupons exists afterwards? " + (rs.getBoolean(1) ? o.green("no") : o.red("yes"))
                    + ". The version is still pending; fix the file and release again.");
        }
        Files.delete(dir.resolve("20250401000000_add_coupons.sql"));

        title("Two machines run the release at the same time: one migrates, the other waits, then finds nothing to do");
        Files.writeString(dir.resolve("20250402000000_slow_backfill_marker.sql"), "-- runway:up\n"
                + "ALTER TABLE users ADD COLUMN last_seen_at timestamptz;\n"
                + "SELECT pg_sleep(1.5);  -- pretend this takes a while\n"
                + "\n-- runway:down\nALTER TABLE users DROP COLUMN last_seen_at;\n");
        SumFile.write(dir);
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CompletableFuture<MigrateResult> fa = CompletableFuture.supplyAsync(() -> release(
                Runway.create(config(url, dir, "runway release (machine A)").build()), quiet(a)));
        Thread.sleep(150);
        CompletableFuture<MigrateResult> fb = CompletableFuture.supplyAsync(() -> release(
                Runway.create(config(url, dir, "runway release (machine B)").build()), quiet(b)));
        MigrateResult ra = fa.get();
        MigrateResult rb = fb.get();
        prefixed("machine A", a);
        prefixed("machine B", b);
        out.printf("  A applied %d migration(s); B waited %s for the lock and applied %d: exactly once.%n", ra.done().size(),
                Output.took(rb.lockWait()), rb.done().size());
    }

    private static RunwayConfig.Builder config(DatabaseUrl url, Path dir, String app) {
        return RunwayConfig.builder().url(url).dir(dir).applicationName(app).lockWait(Duration.ofSeconds(30));
    }

    private MigrateResult release(Runway runway, Output target) {
        try (TextMigrationRenderer r = new TextMigrationRenderer(target, null)) { // close() writes what a failure left
            MigrateResult res = runway.migrate(MigrateOptions.ALL, r);
            r.summary(res);
            return res;
        }
    }

    private Output quiet(ByteArrayOutputStream buf) {
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        return new Output(ps, ps, false, false);
    }

    private void prefixed(String who, ByteArrayOutputStream buf) {
        for (String line : buf.toString(StandardCharsets.UTF_8).split("\n")) {
            out.println("  [" + who + "] " + line);
        }
    }

    private void title(String s) {
        out.println();
        out.println(o.green("== " + (++step) + ". " + s));
    }

    /** Writes the example migrations shipped in the jar, with their runway.sum, into {@code dir}. */
    public static void writeExamples(Path dir) throws IOException {
        DemoFiles.copyTo(dir);
        SumFile.write(dir);
    }

    /** Deletes {@code p} and everything under it; nothing when it does not exist. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        }
    }
}
