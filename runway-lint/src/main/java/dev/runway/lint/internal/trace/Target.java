package dev.runway.lint.internal.trace;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import dev.runway.lint.TableSize;
import dev.runway.lint.TargetTables;
import dev.runway.migrate.dir.MigrationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What {@code check --against} reads from the target, read-only: server version, TimeZone, table
 * sizes, applied versions, and a schema-only dump. Every session runs with
 * {@code default_transaction_read_only = on}; the only locks taken are ACCESS SHARE (catalog reads
 * and pg_dump's own {@code LOCK TABLE ... IN ACCESS SHARE MODE}). Immutable.
 *
 * @param major    server major version
 * @param timeZone server TimeZone setting
 * @param sizes    per table name
 * @param applied  schema versions in the history table with status applied (empty when there is none)
 * @param baseline the highest baseline version (everything up to it counts as applied), or null
 */
public record Target(int major, String timeZone, Map<String, TableSize> sizes, Set<String> applied, String baseline) {
    private static final String READ_ONLY = "-c default_transaction_read_only=on";

    /** Reads version, TimeZone, sizes and the history table of {@code url}. */
    public static Target read(DatabaseUrl url, String historyTable) {
        DatabaseUrl ro = url.withParam("options", READ_ONLY);
        try (Connection c = PgSession.connect(ro, "runway check --against"); Statement st = c.createStatement()) {
            int major = PgSession.majorVersion(c);
            String tz;
            try (ResultSet rs = st.executeQuery("SHOW TimeZone")) {
                rs.next();
                tz = rs.getString(1);
            }
            Map<String, TableSize> sizes = TargetTables.read(c, null);
            Set<String> applied = new HashSet<>();
            String baseline = null;
            if (PgSession.relationExists(c, historyTable)) {
                try (ResultSet rs = st.executeQuery("SELECT version::text, status FROM " + historyTable
                        + " WHERE kind = 'schema' AND status IN ('applied', 'baseline')")) {
                    while (rs.next()) {
                        if (rs.getString(2).equals("baseline")) {
                            String v = rs.getString(1);
                            if (baseline == null || MigrationVersion.parse(v).compareTo(MigrationVersion.parse(baseline)) > 0) {
                                baseline = v;
                            }
                        } else {
                            applied.add(rs.getString(1));
                        }
                    }
                } catch (SQLException e) {
                    // an unexpected layout: treat every file as pending
                }
            }
            return new Target(major, tz, sizes, applied, baseline);
        } catch (SQLException e) {
            throw PgSession.unreachable(url, e);
        }
    }

    /** True when the target already has migration {@code version} (applied, or at or below the baseline). */
    public boolean has(String version) {
        if (version == null) {
            return false;
        }
        if (applied.contains(version)) {
            return true;
        }
        try {
            return baseline != null && MigrationVersion.parse(version).compareTo(MigrationVersion.parse(baseline)) <= 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Copies the target's schema (no data) into the scratch database with pg_dump | psql from {@code binDir}. */
    public static void copySchema(DatabaseUrl target, DatabaseUrl scratch, Path binDir) {
        Path dump;
        try {
            dump = Files.createTempFile("runway-check-schema", ".sql");
        } catch (IOException e) {
            throw RunwayException.usage("cannot create a temp file: " + e.getMessage());
        }
        try {
            run(List.of(binDir.resolve("pg_dump").toString(), "--schema-only", "--no-owner", "--no-privileges", "-f", dump.toString()),
                    target, READ_ONLY, "pg_dump of " + target);
            run(List.of(binDir.resolve("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", dump.toString()),
                    scratch, null, "restoring the schema of " + target + " into the scratch database");
        } finally {
            try {
                Files.deleteIfExists(dump);
            } catch (IOException e) {
                // temp file: the OS cleans up
            }
        }
    }

    private static void run(List<String> cmd, DatabaseUrl url, String options, String what) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PGHOST", url.host());
        env.put("PGPORT", String.valueOf(url.port()));
        env.put("PGDATABASE", url.database());
        if (url.user() != null) {
            env.put("PGUSER", url.user());
        }
        String pw = url.properties().getProperty("password");
        if (pw != null) {
            env.put("PGPASSWORD", pw);
        }
        env.putAll(url.libpqTlsEnvironment());
        env.put("PGAPPNAME", "runway check --against");
        if (options != null) {
            env.put("PGOPTIONS", options);
        }
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                String msg = out.lines().filter(l -> !l.isBlank()).findFirst().orElse("exit " + p.exitValue());
                if (pw != null) {
                    msg = msg.replace(pw, "***");
                }
                throw new RunwayException(ErrorCode.TEMPORARY, what + " failed: " + msg);
            }
        } catch (IOException e) {
            throw RunwayException.usage(what + ": cannot run " + cmd.get(0) + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunwayException(ErrorCode.TEMPORARY, what + " interrupted");
        }
    }
}
