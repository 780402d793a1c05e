package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runway.core.DatabaseUrl;
import dev.runway.lab.LabTls;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.dir.SumFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS settings through DATABASE_URL on a lab whose servers run with TLS (a throw-away CA):
 * {@code sslmode=disable|require|verify-ca|verify-full} with {@code sslrootcert} work for
 * {@code release --with-data} (schema migrations and a backfill, each recording whether its own session
 * used TLS) and {@code check --against} (which also runs pg_dump with the same settings); a CA that did not
 * sign the server's certificate, a host name the certificate does not list, a missing CA file, and
 * {@code sslmode=require} against a server without TLS are exit 2 with one line naming the cause, and
 * change nothing.
 */
class TlsCliIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(1).tls();
    @RegisterExtension
    static final LabExtension PLAIN = LabExtension.primary();

    @TempDir
    static Path tmp;
    static Path dir;
    static LabTls otherCa;

    @BeforeAll
    static void files() throws Exception {
        dir = Files.createDirectories(tmp.resolve("migrations"));
        Files.writeString(dir.resolve("001_seen.sql"), "-- runway:nolint RW122 the test records its own session\n-- runway:up\n"
                + "CREATE TABLE seen (what text, ssl boolean);\n"
                + "INSERT INTO seen SELECT 'schema', ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid();\n"
                + "CREATE TABLE t (id bigint PRIMARY KEY, ssl boolean);\n"
                + "INSERT INTO t (id) SELECT g FROM generate_series(1, 3000) g;\n");
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("002_backfill.sql"), "-- runway:backfill table=t key=id batch=500 target=0 max-lag=2s\n"
                + "-- runway:up\nUPDATE t SET ssl = (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())"
                + " WHERE id >= :lo AND id < :hi;\n");
        SumFile.write(dir);
        SumFile.write(data);
        otherCa = LabTls.create(tmp.resolve("other-ca"));
    }

    static DatabaseUrl withTls(DatabaseUrl url, String mode, Path rootCert) {
        DatabaseUrl u = url.withParam("sslmode", mode);
        return rootCert == null ? u : u.withParam("sslrootcert", rootCert.toString());
    }

    @Test
    void everySslModeWorksForReleaseBackfillAndCheckAgainst() {
        Path ca = LAB.lab().tls().caCert();
        for (String mode : List.of("disable", "require", "verify-ca", "verify-full")) {
            DatabaseUrl url = withTls(CliDb.create(LAB.lab(), "tls"), mode, mode.startsWith("verify") ? ca : null);
            Map<String, String> env = Map.of("DATABASE_URL", url.toUnmaskedString());
            Cli.Result r = Cli.run(tmp, env, "release", "--dir", dir.toString(), "--with-data");
            assertThat(r.exit()).as(mode + ":\n" + r.all()).isZero();
            assertThat(r.all()).doesNotContain(CliDb.PASSWORD);
            boolean tls = !mode.equals("disable");
            assertThat(CliDb.strings(LAB.lab(), url, "SELECT what || '=' || ssl FROM seen")).as(mode).containsExactly("schema=" + tls);
            assertThat(CliDb.strings(LAB.lab(), url, "SELECT count(*) || ' rows, ssl=' || bool_and(ssl) FROM t")).as(mode + " backfill")
                    .containsExactly("3000 rows, ssl=" + tls);
            if (mode.equals("require") || mode.equals("verify-ca")) {
                continue; // check --against connects (pgjdbc, then pg_dump) as release does: the extreme modes suffice
            }
            Cli.Result check = Cli.run(tmp, Map.of(), "check", "--dir", dir.toString(), "--against", url.toUnmaskedString(),
                    "--scratch-url", PLAIN.url().toUnmaskedString(), "--no-round-trip");
            assertThat(check.exit()).as(mode + " check --against:\n" + check.all()).isZero();
            assertThat(check.all()).doesNotContain(CliDb.PASSWORD);
        }
        System.out.println("TlsCliIT: release --with-data exited 0 with sslmode disable, require, verify-ca and verify-full (every"
                + " session's pg_stat_ssl matched the mode), check --against with disable and verify-full");
    }

    @Test
    void wrongCaWrongHostMissingCaAndRequireWithoutTlsAreExit2AndChangeNothing() throws Exception {
        DatabaseUrl base = CliDb.create(LAB.lab(), "tlsbad");
        List<String> before = CliDb.snapshot(LAB.lab(), base);
        Map<String, DatabaseUrl> bad = new java.util.LinkedHashMap<>();
        bad.put("not signed by the CA in sslrootcert=" + otherCa.caCert(), withTls(base, "verify-ca", otherCa.caCert()));
        bad.put("does not name the host 'localhost'", withTls(base, "verify-full", LAB.lab().tls().caCert())
                .withHostPort("localhost", base.port()));
        bad.put("cannot use the CA file sslrootcert=" + tmp.resolve("missing.crt"), withTls(base, "verify-full", tmp.resolve("missing.crt")));
        DatabaseUrl plain = CliDb.create(PLAIN.lab(), "tlsplain");
        bad.put("the server does not offer TLS, and sslmode=require requires it", withTls(plain, "require", null));
        int refused = 0;
        for (Map.Entry<String, DatabaseUrl> e : bad.entrySet()) {
            String url = e.getValue().toUnmaskedString();
            List<String[]> commands = new java.util.ArrayList<>();
            commands.add(new String[] {"release", "--dir", dir.toString()});
            if (refused == 0) { // the other commands connect through the same code: once is enough
                commands.add(new String[] {"data", "migrate", "--dir", dir.toString()});
                commands.add(new String[] {"check", "--dir", dir.toString(), "--against", url, "--scratch-url",
                        PLAIN.url().toUnmaskedString()});
            }
            for (String[] args : commands) {
                Cli.Result r = Cli.run(tmp, Map.of("DATABASE_URL", url), args);
                assertThat(r.exit()).as(e.getKey() + " " + args[0] + ":\n" + r.all()).isEqualTo(2);
                assertThat(r.errLines()).as(r.err()).hasSize(1);
                assertThat(r.err()).contains("over TLS: ").contains(e.getKey()).doesNotContain(CliDb.PASSWORD);
                refused++;
            }
            Cli.Result json = Cli.run(tmp, Map.of("DATABASE_URL", url), "release", "--dir", dir.toString(), "--format", "json");
            assertThat(json.exit()).isEqualTo(2);
            JsonNode doc = new ObjectMapper().readTree(json.out());
            assertThat(doc.toString()).contains(e.getKey().replace("'", "'")).doesNotContain(CliDb.PASSWORD);
        }
        assertThat(CliDb.snapshot(LAB.lab(), base)).isEqualTo(before);
        assertThat(CliDb.snapshot(PLAIN.lab(), plain)).isEmpty();
        System.out.println("TlsCliIT: " + refused + " runs with a wrong CA, a wrong host name, a missing CA file or require against a"
                + " server without TLS: all exit 2 with one line, nothing changed");
    }

}
