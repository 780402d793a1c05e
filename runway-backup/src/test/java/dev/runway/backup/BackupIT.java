package dev.runway.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.lab.junit.LabExtension;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Backups to S3Proxy (a real S3 API on loopback) and to a directory, restored with pg_restore, on a lab server. */
class BackupIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();
    private static final AtomicInteger N = new AtomicInteger();
    static S3ProxyServer s3;
    static S3Probe probe;

    @TempDir
    Path tmp;

    @BeforeAll
    static void s3() {
        s3 = S3ProxyServer.shared();
        probe = new S3Probe(s3);
    }

    @AfterAll
    static void closeProbe() {
        probe.close();
    }

    /** A database with ~30 MB of incompressible-ish rows (several 5 MiB parts once dumped) and a few objects. */
    static DatabaseUrl seeded(String prefix, int rows) {
        String db = prefix + "_" + N.incrementAndGet();
        LAB.lab().createDatabase(db);
        exec(db, "CREATE TABLE t (id int PRIMARY KEY, payload text NOT NULL)",
                "INSERT INTO t SELECT g, md5(g::text) || md5((g * 7)::text) || md5(random()::text) || md5(random()::text)"
                        + " FROM generate_series(1, " + rows + ") g",
                "CREATE INDEX t_payload ON t (payload)", "CREATE VIEW v AS SELECT count(*) AS n FROM t",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 42'");
        return LAB.lab().primary().url(db);
    }

    static DatabaseUrl empty(String prefix) {
        String db = prefix + "_" + N.incrementAndGet();
        LAB.lab().createDatabase(db);
        return LAB.lab().primary().url(db);
    }

    static void exec(String db, String... sql) {
        try (Connection c = LAB.lab().primary().connect(db); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Schema objects and a digest of every row: equal means the same database content. */
    static List<String> fingerprint(DatabaseUrl url) {
        List<String> out = new ArrayList<>();
        try (Connection c = LAB.lab().primary().connect(url.database()); Statement s = c.createStatement()) {
            for (String q : List.of(
                    "SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name)"
                            + " FROM information_schema.columns WHERE table_schema = 'public'",
                    "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public'",
                    "SELECT count(*) || ':' || md5(string_agg(id || '=' || payload, ',' ORDER BY id)) FROM t",
                    "SELECT n FROM v", "SELECT f()")) {
                try (ResultSet rs = s.executeQuery(q)) {
                    rs.next();
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    static S3Config smallParts() {
        return S3Config.builder().accessKeyId(S3ProxyServer.ACCESS_KEY, "t").secretAccessKey(S3ProxyServer.SECRET, "t")
                .region("auto", "t").endpoint(s3.endpoint().toString(), "t").partSize(5 << 20).uploads(2).build();
    }

    static PgTools tools() {
        return PgTools.fromEnvironment(System::getenv);
    }

    @Test
    void s3BackupIsOneDumpPlusItsChecksumAndRestoresTheDatabaseAsItWas() {
        DatabaseUrl src = seeded("bk_s3", 150_000);
        List<String> before = fingerprint(src);
        String bucket = s3.createBucket("roundtrip");
        BackupLocation loc = BackupLocation.parse("s3://" + bucket + "/app/prod", "--backup", k -> null);
        BackupResult r;
        try (Backups b = Backups.open(loc, BackupIT::smallParts, tools(), "--backup")) {
            r = b.backup(src, "20250301120000", "test-1", 0);
            assertThat(b.list()).extracting(BackupInfo::name).containsExactly(r.backup().name());
            assertThat(b.list().get(0).sha256()).isEqualTo(r.backup().sha256());
            assertThat(b.list().get(0).serverVersion()).startsWith(LAB.lab().version().split("\\.")[0]);
            assertThat(b.list().get(0).runwayVersion()).isEqualTo("test-1");
        }
        assertThat(r.backup().size()).as("several 5 MiB parts").isGreaterThan(10L << 20);
        String key = "app/prod/" + r.backup().name();
        assertThat(r.backup().name()).matches(src.database() + "-\\d{8}T\\d{6}Z-v20250301120000\\.dump");
        assertThat(probe.keys(bucket)).containsExactly(key, key + ".sha256");
        assertThat(probe.uploads(bucket)).isEmpty();
        assertThat(probe.metadata(bucket, key)).containsEntry("runway-schema-version", "20250301120000")
                .containsEntry("runway-version", "test-1").containsEntry("runway-database", src.database())
                .containsKey("runway-server-version");
        assertThat(r.backup().location()).isEqualTo("s3://" + bucket + "/" + key);

        DatabaseUrl dst = empty("bk_s3_restored");
        RestoreResult rr = Backups.restore(r.backup().location(), dst, false, false, BackupIT::smallParts, tools());
        assertThat(rr.verified()).isTrue();
        assertThat(rr.bytes()).isEqualTo(r.backup().size());
        assertThat(fingerprint(dst)).isEqualTo(before);
    }

    @Test
    void aDumpThatFailsHalfWayLeavesNoObjectAndNoUpload() throws Exception {
        DatabaseUrl src = seeded("bk_fail", 1000);
        String bucket = s3.createBucket("failing");
        // A pg_dump that reports version 99, writes 12 MiB (two parts uploaded), then fails.
        Path fake = tmp.resolve("pg_dump");
        Files.writeString(fake, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 99.0'; exit 0; fi\n"
                + "head -c 12582912 /dev/urandom\necho 'pg_dump: error: query failed: connection lost' >&2\nexit 1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        BackupLocation loc = BackupLocation.parse("s3://" + bucket + "/", "--backup", k -> null);
        try (Backups b = Backups.open(loc, BackupIT::smallParts, new PgTools(fake.toString(), "pg_restore"), "--backup")) {
            assertThatThrownBy(() -> b.backup(src, "1", "t", 0)).isInstanceOf(RunwayException.class)
                    .hasMessageContaining("pg_dump failed: pg_dump: error: query failed")
                    .satisfies(e -> assertThat(((RunwayException) e).code()).isEqualTo(ErrorCode.TEMPORARY));
        }
        assertThat(probe.keys(bucket)).isEmpty();
        assertThat(probe.uploads(bucket)).isEmpty();
    }

    @Test
    void directoryBackupIsOwnerOnlyAndVerifiedOnRestore() throws Exception {
        DatabaseUrl src = seeded("bk_dir", 2000);
        List<String> before = fingerprint(src);
        Path dir = tmp.resolve("backups");
        BackupResult r;
        try (Backups b = Backups.open(BackupLocation.parse(dir.toString(), "--backup", k -> null), () -> {
            throw new AssertionError("a directory needs no S3 configuration");
        }, tools(), "--backup")) {
            r = b.backup(src, null, "t", 0);
        }
        Path file = dir.resolve(r.backup().name());
        assertThat(r.backup().name()).endsWith("-v0.dump");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(Files.readString(dir.resolve(r.backup().name() + ".sha256"))).isEqualTo(r.backup().sha256() + "  " + r.backup().name() + "\n");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly(r.backup().name(), r.backup().name() + ".sha256");
        }

        DatabaseUrl notEmpty = seeded("bk_dir_busy", 10);
        List<String> busy = fingerprint(notEmpty);
        assertThatThrownBy(() -> Backups.restore(file.toString(), notEmpty, false, false, () -> null, tools()))
                .hasMessageContaining("is not empty").hasMessageContaining("--clean")
                .satisfies(e -> assertThat(((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE));
        assertThat(fingerprint(notEmpty)).isEqualTo(busy);
        Backups.restore(file.toString(), notEmpty, true, false, () -> null, tools());
        assertThat(fingerprint(notEmpty)).isEqualTo(before);

        // One flipped byte near the end: the checksum refuses it before pg_restore gets the last bytes.
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() - 10);
            int b = f.read();
            f.seek(f.length() - 10);
            f.write(b ^ 0xff);
        }
        DatabaseUrl dst = empty("bk_dir_damaged");
        assertThatThrownBy(() -> Backups.restore(file.toString(), dst, false, false, () -> null, tools()))
                .hasMessageContaining("SHA-256").hasMessageContaining("nothing was restored")
                .satisfies(e -> assertThat(((RunwayException) e).code()).isEqualTo(ErrorCode.INTEGRITY));
        exec(dst.database(), "SELECT 1");
        assertThat(tableCount(dst)).isZero();
    }

    static long tableCount(DatabaseUrl url) {
        try (Connection c = LAB.lab().primary().connect(url.database()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void keepDeletesAllButTheNewestBackupsOfThatDatabase() {
        DatabaseUrl src = seeded("bk_keep", 10);
        String bucket = s3.createBucket("keep");
        BackupLocation loc = BackupLocation.parse("s3://" + bucket + "/", "--backup", k -> null);
        try (Backups b = Backups.open(loc, BackupIT::smallParts, tools(), "--backup")) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                names.add(b.backup(src, String.valueOf(i + 1), "t", 0).backup().name());
                sleepPastSecond();
            }
            // Another database's backup under the same prefix is not this database's to prune.
            DatabaseUrl other = seeded("bk_keep_other", 10);
            String otherName = b.backup(other, "1", "t", 0).backup().name();
            BackupResult r = b.backup(src, "4", "t", 2);
            assertThat(r.pruned()).extracting(BackupInfo::name).containsExactly(names.get(1), names.get(0));
            assertThat(b.list()).extracting(BackupInfo::name).containsExactlyInAnyOrder(r.backup().name(), names.get(2), otherName);
            assertThat(b.list().get(0).name()).isIn(r.backup().name(), otherName);
        }
        assertThat(probe.keys(bucket)).hasSize(6);
    }

    static void sleepPastSecond() {
        try {
            Thread.sleep(1100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void s3ErrorsAreOneLineWithTheRightCodeAndNoSecret() {
        DatabaseUrl src = seeded("bk_err", 10);
        String bucket = s3.createBucket("errors");
        S3Config wrongSecret = S3Config.builder().accessKeyId(S3ProxyServer.ACCESS_KEY, "t").secretAccessKey("wrong-" + S3ProxyServer.SECRET, "t")
                .region("auto", "t").endpoint(s3.endpoint().toString(), "t").build();
        Map<String, S3Config> configs = Map.of("refused the credentials", wrongSecret);
        configs.forEach((msg, cfg) -> {
            try (Backups b = Backups.open(BackupLocation.parse("s3://" + bucket + "/", "--backup", k -> null), () -> cfg, tools(), "--backup")) {
                assertThatThrownBy(() -> b.backup(src, "1", "t", 0)).hasMessageContaining(msg)
                        .satisfies(e -> assertThat(((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE))
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(S3ProxyServer.SECRET).doesNotContain("\n"));
            }
        });
        try (Backups b = Backups.open(BackupLocation.parse("s3://no-such-bucket/", "--backup", k -> null), BackupIT::smallParts, tools(), "--backup")) {
            assertThatThrownBy(() -> b.backup(src, "1", "t", 0)).hasMessageContaining("bucket 'no-such-bucket' does not exist")
                    .satisfies(e -> assertThat(((RunwayException) e).code()).isEqualTo(ErrorCode.USAGE));
        }
        assertThat(probe.keys(bucket)).isEmpty();
    }
}
