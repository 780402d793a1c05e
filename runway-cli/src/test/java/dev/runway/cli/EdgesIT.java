package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.lab.junit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Least surprise at the edges: a role that may only create tables in public can release; runway.sum
 * and new files follow the umask; an edited file needs 'runway hash'; an empty up section needs
 * '-- runway:allow-empty'.
 */
class EdgesIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();
    private static final AtomicInteger N = new AtomicInteger();

    @TempDir
    Path cwd;

    @Test
    void aRoleWithCreateOnPublicOnlyCanReleaseRollBackAndSeeStatus() throws Exception {
        String db = "leastpriv_" + N.incrementAndGet();
        String role = "deployer_" + N.get();
        LAB.lab().createDatabase(db);
        try (Connection c = LAB.lab().primary().connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + CliDb.PASSWORD + "' NOSUPERUSER NOCREATEDB NOCREATEROLE");
            s.execute("REVOKE CREATE ON DATABASE " + db + " FROM PUBLIC");
            s.execute("GRANT USAGE, CREATE ON SCHEMA public TO " + role);
            // it may not create a schema: the history table must go into the existing public schema
            assertThat(strings(c, "SELECT has_database_privilege('" + role + "', current_database(), 'CREATE')")).containsExactly("f");
        }
        DatabaseUrl base = LAB.lab().primary().url(db);
        Map<String, String> env = Map.of("DATABASE_URL", "postgres://" + role + ":" + CliDb.PASSWORD + "@" + base.host() + ":"
                + base.port() + "/" + db);
        Path dir = Files.createDirectories(cwd.resolve("migrations"));
        Files.writeString(dir.resolve("1_t.sql"), "-- runway:up\nCREATE TABLE t (id int PRIMARY KEY, name text);\n"
                + "INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, 100) g;\n-- runway:down\nDROP TABLE t;\n");
        assertThat(Cli.run(cwd, env, "hash").exit()).isZero();
        Cli.Result first = Cli.run(cwd, env, "release");
        assertThat(first.exit()).as(first.all()).isZero();
        // the gate reads the size of t on this role's session
        Files.writeString(dir.resolve("2_t_name.sql"), "-- runway:up\nCREATE INDEX t_name ON t (name);\n-- runway:down\nDROP INDEX t_name;\n");
        assertThat(Cli.run(cwd, env, "hash").exit()).isZero();
        Cli.Result second = Cli.run(cwd, env, "release");
        assertThat(second.exit()).as(second.all()).isZero();
        assertThat(second.err()).contains("info RW101").contains("passes: t: ");
        Cli.Result status = Cli.run(cwd, env, "status");
        assertThat(status.exit()).as(status.all()).isZero();
        assertThat(status.out()).contains("Current version: 2, 0 pending");
        Cli.Result rollback = Cli.run(cwd, env, "rollback", "--to", "1");
        assertThat(rollback.exit()).as(rollback.all()).isZero();
        assertThat(first.all() + second.all() + status.all() + rollback.all()).doesNotContain(CliDb.PASSWORD);
        try (Connection c = LAB.lab().primary().connect(db)) {
            assertThat(strings(c, "SELECT string_agg(version || ':' || status, ',') FROM public.runway_schema_history")).containsExactly("1:applied");
        }
    }

    @Test
    void filesRunwayWritesFollowTheUmask() throws Exception {
        assertThat(umask("027", "new", "add_t")).isZero();
        Path dir = cwd.resolve("migrations");
        Path file;
        try (Stream<Path> s = Files.list(dir)) {
            file = s.filter(p -> p.toString().endsWith("_add_t.sql")).findFirst().orElseThrow();
        }
        assertThat(mode(dir.resolve("runway.sum"))).isEqualTo("rw-r-----");
        assertThat(mode(file)).isEqualTo("rw-r-----");
        Files.delete(dir.resolve("runway.sum"));
        assertThat(umask("022", "hash")).isZero();
        assertThat(mode(dir.resolve("runway.sum"))).as("written anew under umask 022").isEqualTo("rw-r--r--");
        // a mode chosen for an existing runway.sum survives a rewrite
        Files.setPosixFilePermissions(dir.resolve("runway.sum"), PosixFilePermissions.fromString("rw-rw-r--"));
        assertThat(umask("077", "hash")).isZero();
        assertThat(mode(dir.resolve("runway.sum"))).isEqualTo("rw-rw-r--");
    }

    @Test
    void anEditAfterNewNeedsRunwayHashWhichTheErrorNames() throws Exception {
        DatabaseUrl url = CliDb.create(LAB.lab(), "edges");
        Map<String, String> env = Map.of("DATABASE_URL", url.toUnmaskedString());
        assertThat(Cli.run(cwd, env, "new", "add_t").exit()).isZero();
        Path file;
        try (Stream<Path> s = Files.list(cwd.resolve("migrations"))) {
            file = s.filter(p -> p.toString().endsWith("_add_t.sql")).findFirst().orElseThrow();
        }
        Files.writeString(file, "-- runway:up\nCREATE TABLE t (id int);\n-- runway:down\nDROP TABLE t;\n");
        Cli.Result stale = Cli.run(cwd, env, "release");
        assertThat(stale.exit()).as(stale.all()).isEqualTo(4);
        assertThat(stale.errLines()).hasSize(1).allMatch(l -> l.contains(file.getFileName().toString()) && l.contains("runway hash"));
        assertThat(Cli.run(cwd, env, "hash").exit()).isZero();
        Cli.Result ok = Cli.run(cwd, env, "release");
        assertThat(ok.exit()).as(ok.all()).isZero();
    }

    @Test
    void anEmptyUpSectionRunsOnlyWhenTheFileSaysItIsMeant() throws Exception {
        DatabaseUrl url = CliDb.create(LAB.lab(), "edges");
        Map<String, String> env = Map.of("DATABASE_URL", url.toUnmaskedString());
        Path dir = Files.createDirectories(cwd.resolve("migrations"));
        Files.writeString(dir.resolve("1_a.sql"), "-- runway:up\nCREATE TABLE a (id int);\n");
        Files.writeString(dir.resolve("2_placeholder.sql"), "-- runway:up\n-- nothing yet\n\n-- runway:down\n");
        assertThat(Cli.run(cwd, env, "hash").exit()).isZero();
        Cli.Result refused = Cli.run(cwd, env, "release");
        assertThat(refused.exit()).as(refused.all()).isEqualTo(2);
        assertThat(refused.errLines()).containsExactly("runway: error: 2_placeholder.sql: the up section has no SQL statement;"
                + " write it, or add '-- runway:allow-empty' at the top of the file if it is empty on purpose; nothing was changed");
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT to_regclass('a') IS NULL")).containsExactly("t");
        Files.writeString(dir.resolve("2_placeholder.sql"), "-- runway:allow-empty keeps the version taken by release 2.1\n"
                + "-- runway:up\n-- nothing yet\n\n-- runway:down\n");
        assertThat(Cli.run(cwd, env, "hash").exit()).isZero();
        Cli.Result ok = Cli.run(cwd, env, "release");
        assertThat(ok.exit()).as(ok.all()).isZero();
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM runway_schema_history")).containsExactly("2");
    }

    /** Other runners record an empty file as applied, and so does Runway for their files (a real Flyway history has one). */
    @Test
    void anotherRunnersEmptyFileAppliesAsThatRunnerAppliesIt() throws Exception {
        DatabaseUrl url = CliDb.create(LAB.lab(), "edges");
        Map<String, String> env = Map.of("DATABASE_URL", url.toUnmaskedString());
        Path dir = Files.createDirectories(cwd.resolve("flyway"));
        Files.writeString(dir.resolve("V1__a.sql"), "CREATE TABLE a (id int);\n");
        Files.writeString(dir.resolve("V2__fix.sql"), "-- the fix moved to V3\n");
        Files.writeString(dir.resolve("V3__b.sql"), "CREATE TABLE b (id int);\n");
        assertThat(Cli.run(cwd, env, "hash", "--dir", "flyway").exit()).isZero();
        Cli.Result ok = Cli.run(cwd, env, "release", "--dir", "flyway");
        assertThat(ok.exit()).as(ok.all()).isZero();
        assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM runway_schema_history")).containsExactly("3");
    }

    private int umask(String mask, String... args) throws Exception {
        ProcessBuilder pb = Cli.builder(cwd, Map.of(), args);
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "umask " + mask + "; exec \"$0\" \"$@\""));
        cmd.addAll(pb.command());
        Process p = pb.command(cmd).redirectErrorStream(true).redirectOutput(cwd.resolve("umask.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<String> strings(Connection c, String sql) throws Exception {
        return TestDatabase.strings(c, sql);
    }
}
