package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.PgBouncer;
import dev.runway.lab.PoolMode;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.dir.SumFile;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario of issue 11: 4 {@code runway migrate} processes at once on 100 pending migrations (every
 * tenth a CREATE INDEX CONCURRENTLY) through Debian's PgBouncer. Transaction pooling: every runner refuses
 * with exit 2 and the fix in the message, before anything changes; the same 4 with RUNWAY_MIGRATE_URL
 * pointing around the pooler apply every migration once. Session pooling: all 4 exit 0, every migration
 * applied once, never two at the same time. Refusal races: 4 (40 with -Plong); races that migrate: 1 per
 * mode (10 with -Plong).
 */
class PoolerReleaseIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary().pgbouncer(PoolMode.TRANSACTION);
    static final int PROCESSES = 4;
    static final int MIGRATIONS = 100;
    static final int TRANSACTIONAL = MIGRATIONS - MIGRATIONS / 10;

    @TempDir
    static Path tmp;
    static Path dir;

    @BeforeAll
    static void migrations() throws Exception {
        dir = tmp.resolve("migrations");
        Files.createDirectories(dir);
        // every transactional migration logs its server session and when its transaction ran (from its start to its last
        // statement): two runners' migrations must never overlap in time. (Not the query text of other sessions: a
        // migration goes as one message that starts with Runway's BEGIN and lock check, so a text pattern never matched.)
        Files.writeString(dir.resolve("00000_log.sql"), "-- runway:up\nCREATE TABLE applied_log (version int, pid int, started timestamptz,"
                + " ended timestamptz);\n");
        for (int i = 1; i <= MIGRATIONS; i++) {
            String v = String.format("%05d", i);
            if (i % 10 == 0) {
                Files.writeString(dir.resolve(v + "_idx.sql"), "-- runway:up\nCREATE INDEX CONCURRENTLY t" + (i - 1) + "_x ON t" + (i - 1)
                        + " (x);\n");
            } else {
                Files.writeString(dir.resolve(v + "_m.sql"), "-- runway:up\nCREATE TABLE t" + i + " (id bigint, x int);\n"
                        + "INSERT INTO applied_log SELECT " + i + ", pg_backend_pid(), now(), clock_timestamp();\n");
            }
        }
        SumFile.write(dir);
    }

    static DatabaseUrl through(PgBouncer b, DatabaseUrl direct) {
        return direct.withHostPort(b.host(), b.port());
    }

    /** Starts the 4 runners at once and returns their results. */
    static List<Cli.Result> race(Map<String, String> env, String tag) throws Exception {
        List<Process> ps = new ArrayList<>();
        List<File[]> outs = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            File out = tmp.resolve(tag + "-" + p + ".out").toFile();
            File err = tmp.resolve(tag + "-" + p + ".err").toFile();
            outs.add(new File[] {out, err});
            ps.add(Cli.builder(tmp, env, "migrate", "--dir", dir.toString(), "--lock-wait", "5m").redirectOutput(out)
                    .redirectError(err).start());
        }
        List<Cli.Result> results = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            assertThat(ps.get(p).waitFor(5, TimeUnit.MINUTES)).isTrue();
            results.add(new Cli.Result(ps.get(p).exitValue(), Files.readString(outs.get(p)[0].toPath()),
                    Files.readString(outs.get(p)[1].toPath())));
        }
        return results;
    }

    /** Pairs of migrations that two server sessions ran at the same time. */
    static final String OVERLAPS = "SELECT count(*) FROM applied_log a JOIN applied_log b ON a.pid <> b.pid"
            + " AND a.started < b.ended AND b.started < a.ended";

    /** Every migration applied exactly once, none overlapping another runner's. */
    static void appliedExactlyOnce(DatabaseUrl url, String what) {
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) || '/' || count(DISTINCT version) FROM applied_log")).as(what)
                .containsExactly(TRANSACTIONAL + "/" + TRANSACTIONAL);
        assertThat(CliDb.strings(LAB.lab(), url, OVERLAPS)).as(what + ": overlaps").containsExactly("0");
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM runway_schema_history WHERE status = 'applied'")).as(what)
                .containsExactly(String.valueOf(MIGRATIONS + 1));
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM pg_index WHERE indisvalid AND indexrelid::regclass::text LIKE 't%_x'"))
                .as(what).containsExactly(String.valueOf(MIGRATIONS / 10));
    }

    @Test
    void transactionPoolingEveryRunnerRefusesBeforeAnyChangeAndMigrateUrlGoesAroundIt() throws Exception {
        int scale = Integer.getInteger("runway.it.scale", 1);
        int reps = 4 * scale;
        int refused = 0;
        int migrated = 0;
        for (int rep = 1; rep <= reps; rep++) {
            DatabaseUrl direct = CliDb.create(LAB.lab(), "txpool");
            DatabaseUrl pooled = through(LAB.pgbouncer(), direct);
            List<String> before = CliDb.snapshot(LAB.lab(), direct);
            for (Cli.Result r : race(Map.of("DATABASE_URL", pooled.toUnmaskedString()), "tx-" + rep)) {
                assertThat(r.exit()).as("rep %d:\n%s", rep, r.all()).isEqualTo(2);
                assertThat(r.errLines()).hasSize(1);
                assertThat(r.err()).contains("transaction-pooling proxy", "Nothing was changed", "RUNWAY_MIGRATE_URL",
                        "127.0.0.1:" + LAB.pgbouncer().port()).doesNotContain(CliDb.PASSWORD);
                refused++;
            }
            assertThat(CliDb.snapshot(LAB.lab(), direct)).as("rep %d: the database is as it was", rep).isEqualTo(before);
            if (rep > scale) {
                continue;
            }
            List<Cli.Result> around = race(Map.of("DATABASE_URL", pooled.toUnmaskedString(),
                    "RUNWAY_MIGRATE_URL", direct.toUnmaskedString()), "around-" + rep);
            for (Cli.Result r : around) {
                assertThat(r.exit()).as("rep %d:\n%s", rep, r.all()).isZero();
                assertThat(r.all()).doesNotContain(CliDb.PASSWORD);
            }
            appliedExactlyOnce(direct, "rep " + rep + " with RUNWAY_MIGRATE_URL");
            migrated += MIGRATIONS + 1;
        }
        System.out.printf("PoolerReleaseIT transaction pooling: %d repetitions x %d runners: %d of %d refused with exit 2, 0 migrations"
                + " applied through the pooler; with RUNWAY_MIGRATE_URL: %d migrations applied, each exactly once, 0 overlaps%n",
                reps, PROCESSES, refused, reps * PROCESSES, migrated);
    }

    @Test
    void sessionPoolingAppliesEveryMigrationOnceAndNeverTwoAtATime() throws Exception {
        PgBouncer session = LAB.lab().pgbouncer(LAB.lab().primary(), PoolMode.SESSION);
        int reps = Integer.getInteger("runway.it.scale", 1);
        int ok = 0;
        for (int rep = 1; rep <= reps; rep++) {
            DatabaseUrl direct = CliDb.create(LAB.lab(), "sesspool");
            for (Cli.Result r : race(Map.of("DATABASE_URL", through(session, direct).toUnmaskedString()), "session-" + rep)) {
                assertThat(r.exit()).as("rep %d:\n%s", rep, r.all()).isZero();
                assertThat(r.all()).doesNotContain(CliDb.PASSWORD);
                ok++;
            }
            appliedExactlyOnce(direct, "rep " + rep + " through session pooling");
        }
        System.out.printf("PoolerReleaseIT session pooling: %d repetitions x %d runners: %d exited 0; %d migrations per repetition"
                + " applied exactly once, 0 overlaps%n", reps, PROCESSES, ok, MIGRATIONS + 1);
    }
}
