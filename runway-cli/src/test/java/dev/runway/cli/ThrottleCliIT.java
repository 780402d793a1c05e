package dev.runway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runway.core.DatabaseUrl;
import dev.runway.lab.Node;
import dev.runway.lab.junit.LabExtension;
import dev.runway.migrate.dir.SumFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data migrate} as a role without pg_monitor, against a primary with a streaming replica: a
 * backfill with max-lag is refused up front (exit 2, one line, one JSON document, nothing changed)
 * until the replica's URL is given in RUNWAY_REPLICA_URLS; then it runs.
 */
class ThrottleCliIT {
    @RegisterExtension
    static final LabExtension LAB = LabExtension.withReplicas(1);

    @TempDir
    Path tmp;

    @Test
    void anOrdinaryRoleNeedsReplicaUrlsForMaxLag() throws Exception {
        String db = "throttle_cli";
        LAB.lab().createDatabase(db);
        try (Connection c = LAB.lab().primary().connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_plain') THEN CREATE ROLE app_plain LOGIN;"
                    + " END IF; END$$; ALTER DATABASE " + db + " OWNER TO app_plain");
        }
        try (Connection c = LAB.lab().primary().connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id bigint PRIMARY KEY, touched int NOT NULL DEFAULT 0); ALTER TABLE t OWNER TO app_plain;"
                    + " INSERT INTO t (id) SELECT g FROM generate_series(1, 5000) g");
        }
        Path data = Files.createDirectories(tmp.resolve("migrations").resolve("data"));
        Files.writeString(data.resolve("20250101000000_touch.sql"), "-- runway:backfill table=t key=id batch=1000 max-lag=2s\n"
                + "-- runway:up\nUPDATE t SET touched = touched + 1 WHERE id >= :lo AND id < :hi;\n");
        SumFile.write(data);
        Node primary = LAB.lab().primary();
        Node replica = LAB.lab().replicas().get(0);
        Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL",
                DatabaseUrl.of(primary.host(), primary.port(), db, "app_plain", null).toUnmaskedString()));

        Cli.Result refused = Cli.run(tmp, env, "data", "migrate");
        assertThat(refused.exit()).as(refused.all()).isEqualTo(2);
        assertThat(refused.errLines()).singleElement().asString().contains("20250101000000_touch.sql:1: max-lag=2s needs the"
                + " replicas' replay positions, but role app_plain cannot read them in pg_stat_replication (1 standby streams from"
                + " this primary); grant it pg_monitor");
        Cli.Result json = Cli.run(tmp, env, "data", "migrate", "--format", "json");
        assertThat(json.exit()).as(json.all()).isEqualTo(2);
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertThat(doc.at("/error/message").asText()).contains("max-lag=2s needs the replicas' replay positions");
        assertThat(doc.at("/error/exit_code").asInt()).isEqualTo(2);
        assertThat(CliDb.strings(LAB.lab(), DatabaseUrl.of(primary.host(), primary.port(), db, "postgres", null),
                "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'runway%'")).containsExactly("0");

        env.put("RUNWAY_REPLICA_URLS", DatabaseUrl.of(replica.host(), replica.port(), db, "app_plain", null).toUnmaskedString());
        Cli.Result ok = Cli.run(tmp, env, "data", "migrate");
        assertThat(ok.exit()).as(ok.all()).isZero();
        assertThat(ok.out()).contains("-> backfill done: 5000 rows in ");
    }
}
