package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.backup.S3Probe;
import dev.runway.backup.S3ProxyServer;
import dev.runway.core.DatabaseUrl;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.dir.SumFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code release --backup s3://…}, {@code backup list} and {@code backup restore} end to end through the
 * real CLI against S3Proxy on loopback; kill -9 during the upload. No output ever shows the database
 * password or the S3 secret.
 */
class BackupCliIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.primary();
    static final ObjectMapper JSON = new ObjectMapper();
    static S3ProxyServer s3;
    static S3Probe probe;

    @TempDir
    Path cwd;
    DatabaseUrl url;
    Map<String, String> env;

    @BeforeAll
    static void s3() {
        s3 = S3ProxyServer.shared();
        probe = new S3Probe(s3);
    }

    @AfterAll
    static void closeProbe() {
        probe.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        url = CliDb.create(LAB.lab(), "bkcli");
        env = new HashMap<>(s3.env("unused"));
        env.put("DATABASE_URL", url.toUnmaskedString());
        Path dir = Files.createDirectories(cwd.resolve("migrations"));
        Files.writeString(dir.resolve("1_orders.sql"), "-- runway:nolint RW122 seed rows\n-- runway:up\n"
                + "CREATE TABLE orders (id int PRIMARY KEY, note text);\n"
                + "INSERT INTO orders SELECT g, md5(g::text) FROM generate_series(1, 5000) g;\n");
        SumFile.write(dir);
        run(0, "release");
        // the pending migration a release with --backup runs after backing up
        Files.writeString(dir.resolve("2_status.sql"), "-- runway:nolint RW122 backfilled in the test\n-- runway:up\n"
                + "ALTER TABLE orders ADD COLUMN status text;\nUPDATE orders SET note = 'changed', status = 'x';\n");
        SumFile.write(dir);
    }

    Cli.Result run(int exit, String... args) {
        Cli.Result r = Cli.run(cwd, env, args);
        assertThat(r.exit()).as("runway %s\n%s", String.join(" ", args), r.all()).isEqualTo(exit);
        assertThat(r.all()).doesNotContain(CliDb.PASSWORD).doesNotContain(S3ProxyServer.SECRET);
        return r;
    }

    List<String> content(DatabaseUrl u) {
        List<String> s = CliDb.snapshot(LAB.lab(), u);
        s.addAll(CliDb.strings(LAB.lab(), u, "SELECT count(*) || ':' || md5(string_agg(id || '=' || note, ',' ORDER BY id)) FROM orders"));
        return s;
    }

    @Test
    void releaseLeavesOneObjectThatRestoresTheDatabaseAsItWasBeforeMigrating() throws Exception {
        String bucket = s3.createBucket("release-roundtrip");
        List<String> before = content(url);
        Cli.Result r = run(0, "release", "--backup", "s3://" + bucket + "/prod/");
        String name = url.database() + "-\\d{8}T\\d{6}Z-v1\\.dump";
        assertThat(r.out()).containsPattern("Backup written to s3://" + bucket + "/prod/" + name + " \\(pg_dump -Fc, ");
        List<String> keys = probe.keys(bucket);
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0)).matches("prod/" + name);
        assertThat(keys.get(1)).isEqualTo(keys.get(0) + ".sha256");
        assertThat(probe.uploads(bucket)).isEmpty();
        List<String> after = content(url);
        assertThat(after).isNotEqualTo(before);

        run(0, "release", "--backup", "s3://" + bucket + "/prod/"); // nothing pending: no second backup
        assertThat(probe.keys(bucket)).hasSize(2);

        JsonNode list = JSON.readTree(run(0, "backup", "list", "s3://" + bucket + "/prod/", "--format", "json").out());
        assertThat(list.get("backups")).hasSize(1);
        JsonNode b = list.get("backups").get(0);
        assertThat(b.get("location").asText()).isEqualTo("s3://" + bucket + "/" + keys.get(0));
        assertThat(b.get("schema_version").asText()).isEqualTo("1");
        assertThat(b.get("sha256").asText()).hasSize(64);
        assertThat(b.get("server_version").asText()).isNotBlank();
        assertThat(run(0, "backup", "list", "s3://" + bucket + "/prod/").out()).contains("1 backup at s3://" + bucket + "/prod/")
                .contains(keys.get(0));

        DatabaseUrl restored = CliDb.create(LAB.lab(), "bkcli_restored");
        Cli.Result rr = run(0, "backup", "restore", b.get("location").asText(), "--to", restored.toUnmaskedString());
        assertThat(rr.out()).contains("SHA-256 verified");
        assertThat(content(restored)).isEqualTo(before);
        // Restoring again over it is refused (not empty), and changes nothing.
        Cli.Result again = run(2, "backup", "restore", b.get("location").asText(), "--to", restored.toUnmaskedString());
        assertThat(again.errLines()).hasSize(1);
        assertThat(again.err()).contains("is not empty").contains("--clean");
        assertThat(content(restored)).isEqualTo(before);
    }

    /** Start-up: a release with nothing pending loads no S3 client, with or without --backup s3://…. */
    @Test
    void aNoOpReleaseLoadsNoAwsSdkClass() throws Exception {
        String bucket = s3.createBucket("noop");
        run(0, "release");
        for (List<String> args : List.of(List.of("release"), List.of("release", "--backup", "s3://" + bucket + "/"))) {
            Path classes = cwd.resolve("classes.txt");
            ProcessBuilder pb = Cli.builder(cwd, env, args.toArray(String[]::new));
            pb.command().add(1, "-Xlog:class+load:file=" + classes);
            Process p = pb.redirectErrorStream(true).redirectOutput(cwd.resolve("noop.out").toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(cwd.resolve("noop.out"))).isZero();
            String loaded = Files.readString(classes);
            assertThat(loaded).contains("dev.runway.migrate.Runway ");
            assertThat(loaded).as("%s", args).doesNotContain("software.amazon").doesNotContain("dev.runway.backup.internal");
        }
        assertThat(probe.keys(bucket)).isEmpty();
    }

    @Test
    void shorthandS3UsesBucketNameAndKeepPrunesOlderBackups() throws Exception {
        String bucket = s3.createBucket("fly-bucket");
        env.put("BUCKET_NAME", bucket);
        JsonNode first = JSON.readTree(run(0, "release", "--backup", "s3", "--format", "json").out());
        assertThat(first.get("backup").get("location").asText()).startsWith("s3://" + bucket + "/runway-backups/" + url.database() + "-");
        assertThat(first.get("applied").asInt()).isEqualTo(1);
        for (int v = 3; v <= 4; v++) {
            Thread.sleep(1100); // backup names are to the second
            Files.writeString(cwd.resolve("migrations/" + v + "_c.sql"), "-- runway:up\nCREATE TABLE c" + v + " (id int);\n");
            SumFile.write(cwd.resolve("migrations"));
            Cli.Result r = run(0, "release", "--backup", "s3", "--keep", "2");
            if (v == 4) {
                assertThat(r.out()).contains("Backup deleted (--keep 2): " + first.get("backup").get("location").asText());
            }
        }
        JsonNode list = JSON.readTree(run(0, "backup", "list", "s3", "--format", "json").out());
        assertThat(list.get("backups")).hasSize(2);
        assertThat(list.get("backups").get(0).get("schema_version").asText()).isEqualTo("3");
        assertThat(list.get("backups").get(1).get("schema_version").asText()).isEqualTo("2");
    }

    @Test
    void directoryBackupStillWorksAndRestoresFromTheFile() throws Exception {
        List<String> before = content(url);
        Cli.Result r = run(0, "release", "--backup", "backups");
        assertThat(r.out()).contains("Backup written to backups/" + url.database() + "-");
        Path dump;
        try (var s = Files.list(cwd.resolve("backups"))) {
            dump = s.filter(p -> p.toString().endsWith(".dump")).findFirst().orElseThrow();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dump))).isEqualTo("rw-------");
        DatabaseUrl restored = CliDb.create(LAB.lab(), "bkcli_file");
        run(0, "backup", "restore", dump.toString(), "--to", restored.toUnmaskedString());
        assertThat(content(restored)).isEqualTo(before);
    }

    /**
     * kill -9 of the release while its backup is uploading: the multipart upload stays incomplete (no
     * object is visible), nothing migrated, and the next release backs up and migrates.
     */
    @Test
    void killDuringTheUploadLeavesNoObjectAndNothingMigrated() throws Exception {
        String bucket = s3.createBucket("killed");
        CliDb.strings(LAB.lab(), url, "SELECT 1"); // (the lab connection is warm)
        try (var c = LAB.lab().primary().connect(url.database()); var st = c.createStatement()) {
            st.execute("CREATE TABLE filler AS SELECT g AS id, md5(g::text) || md5(random()::text) AS x FROM generate_series(1, 300000) g");
        }
        List<String> before = content(url);
        // The real pg_dump, whose output stalls after the first 5 MiB part: the kill lands mid-upload.
        Path slow = cwd.resolve("slow_pg_dump");
        Files.writeString(slow, "#!/bin/sh\nif [ \"$1\" = --version ]; then exec pg_dump --version; fi\n"
                + "pg_dump \"$@\" | { head -c 6000000; sleep 30; cat; }\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> e = new HashMap<>(env);
        e.put("RUNWAY_PG_DUMP", slow.toString());
        Path out = cwd.resolve("killed.out");
        Process p = Cli.builder(cwd, e, "release", "--backup", "s3://" + bucket + "/prod/", "--s3-part-size", "5")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        List<ProcessHandle> children;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!partUploaded(bucket)) {
                assertThat(p.isAlive()).as(Files.readString(out)).isTrue();
                assertThat(System.nanoTime()).as("an upload with a part within 90 s").isLessThan(deadline);
                Thread.sleep(100);
            }
        } finally {
            children = p.descendants().toList();
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
            children.forEach(ProcessHandle::destroyForcibly);
        }
        assertThat(p.exitValue()).isEqualTo(137);
        // (S3Proxy keeps its multipart bookkeeping at the bucket's top: see S3ProxyServer)
        assertThat(probe.keys(bucket, "prod/")).as("visible objects after kill -9").isEmpty();
        assertThat(probe.uploads(bucket)).hasSize(1);
        assertThat(Files.readString(out)).doesNotContain(CliDb.PASSWORD).doesNotContain(S3ProxyServer.SECRET);
        awaitNoRunwaySession();
        assertThat(content(url)).as("nothing migrated").isEqualTo(before);
        assertThat(run(0, "backup", "list", "s3://" + bucket + "/prod/").out()).contains("0 backups").contains("1 incomplete upload");

        run(0, "release", "--backup", "s3://" + bucket + "/prod/");
        assertThat(probe.keys(bucket, "prod/")).hasSize(2);
        assertThat(content(url)).isNotEqualTo(before);
    }

    private boolean partUploaded(String bucket) {
        try {
            var uploads = probe.client().listMultipartUploads(b -> b.bucket(bucket)).uploads();
            return !uploads.isEmpty() && !probe.client().listParts(b -> b.bucket(bucket).key(uploads.get(0).key())
                    .uploadId(uploads.get(0).uploadId())).parts().isEmpty();
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            // S3Proxy's filesystem-nio2 listing fails (HTTP 500) while a part file is being written; ask again
            return false;
        }
    }

    private void awaitNoRunwaySession() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (CliDb.strings(LAB.lab(), url, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND application_name LIKE 'runway%' AND pid <> pg_backend_pid()").equals(List.of("0"))) {
                return;
            }
            Thread.sleep(100);
        }
    }
}
