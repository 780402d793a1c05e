package dev.runway.lint.internal.trace;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import dev.runway.lab.Lab;
import dev.runway.lab.LabConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntConsumer;

/**
 * The scratch server {@code check} runs migrations on: a lab primary started for this run (stopped on
 * close; its {@code postgres} database is the scratch database), or a server the user names with {@code --scratch-url} (on which only databases named
 * {@code runway_check_*} are created and dropped). Never the target. Not thread-safe.
 */
public final class Scratch implements AutoCloseable {
    /** The scratch database on a lab server started for the run. */
    static final String LAB_DB = "postgres";
    private final Lab lab;
    private final DatabaseUrl admin;
    private final String db;
    private final int major;
    private Connection main;
    /** The session on the admin database that creates and drops the scratch databases (one for the run). */
    private Connection adminSession;
    private String copy;

    /**
     * On a lab server started for this run: the scratch database is the lab's own {@code postgres} database (the
     * whole server is the run's, so no CREATE DATABASE, which cost 0.1-0.3 s of a 100-file check); the admin session,
     * for copies and rebuilds, is on {@code template1} (a session may create a database from the template it is on).
     */
    private Scratch(Lab lab, int major) {
        this.lab = lab;
        this.admin = lab.primary().url("template1");
        this.major = major;
        this.db = LAB_DB;
    }

    /** {@code adminSession}: already open on {@code admin} (null: opened here); closed when this constructor fails. */
    private Scratch(DatabaseUrl admin, int major, Connection adminSession) {
        this.lab = null;
        this.admin = admin;
        this.major = major;
        this.adminSession = adminSession;
        this.db = "runway_check_" + UUID.randomUUID().toString().substring(0, 8);
        try {
            exec("CREATE DATABASE " + db);
        } catch (RuntimeException e) {
            closeAdmin();
            throw e;
        }
    }

    /** Starts a lab primary of {@code pgMajor} (null = the lab's default) and creates the scratch database. */
    public static Scratch startLab(String pgMajor) {
        return startLab(pgMajor, System.getenv());
    }

    /** {@link #startLab(String)} with the environment the lab reads. */
    static Scratch startLab(String pgMajor, Map<String, String> env) {
        Lab lab = Lab.start(LabConfig.builder().replicas(0).pgVersion(pgMajor).env(labEnv(env)).build());
        try {
            return new Scratch(lab, LintMajor.of(lab.version()));
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** Where a lab started for a check keeps its data when it may: memory, see {@link #labEnv}. */
    static final Path RAM_DIR = Path.of("/dev/shm");
    /** Free space {@link #RAM_DIR} must have for a check's lab (peak seen: 60 MB for 1,000 migrations). */
    static final long RAM_DIR_MIN_FREE = 1L << 30;

    /**
     * The environment for a lab started for a check: its data directory in memory ({@code RUNWAY_LAB_TMPDIR=/dev/shm},
     * a tmpfs on Linux) when the user has not chosen a directory and /dev/shm is a writable directory with at least 1 GiB
     * free. The lab lives for one run, its server never syncs (fsync off), and it is deleted at the end; what its
     * migrations cost on a disk is mostly creating and deleting relation files (each table, index, sequence and TOAST
     * table is one), about 1 ms each on an ext4 disk, which a round trip pays three times: in memory the trace of
     * CheckBench's 100 files took about a fifth less. Otherwise {@code env} as it is.
     */
    static Map<String, String> labEnv(Map<String, String> env) {
        String chosen = env.get("RUNWAY_LAB_TMPDIR");
        if (chosen != null && !chosen.isBlank()) {
            return env;
        }
        try {
            if (!Files.isDirectory(RAM_DIR) || !Files.isWritable(RAM_DIR) || Files.getFileStore(RAM_DIR).getUsableSpace() < RAM_DIR_MIN_FREE) {
                return env;
            }
        } catch (IOException | RuntimeException e) {
            return env;
        }
        Map<String, String> out = new HashMap<>(env);
        out.put("RUNWAY_LAB_TMPDIR", RAM_DIR.toString());
        return out;
    }

    /** Uses the server at {@code url} (its database part is ignored: scratch databases are created beside it). */
    public static Scratch at(DatabaseUrl url) {
        return at(url, major(url));
    }

    /** {@link #at(DatabaseUrl)} when the caller has already read the server's {@link #major}. */
    public static Scratch at(DatabaseUrl url, int major) {
        return new Scratch(url, major, null);
    }

    /**
     * {@link #at(DatabaseUrl)} reading the server's major on the session that then creates the scratch database (one
     * connection fewer), and telling it to {@code major} first, so a caller on another thread can go on with it
     * while the database is created.
     */
    public static Scratch at(DatabaseUrl url, IntConsumer major) {
        Connection c = PgSession.connect(url, "runway check (admin)");
        int m;
        try {
            m = PgSession.majorVersion(c);
        } catch (SQLException e) {
            close(c);
            throw PgSession.unreachable(url, e);
        }
        try {
            major.accept(m);
        } catch (RuntimeException e) {
            close(c);
            throw e;
        }
        return new Scratch(url, m, c);
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // closing a session that failed: the first failure is what counts
        }
    }

    /** The major version of the server at {@code url}; TEMPORARY when it is unreachable. */
    public static int major(DatabaseUrl url) {
        try (Connection c = PgSession.connect(url, "runway check (scratch)")) {
            return PgSession.majorVersion(c);
        } catch (SQLException e) {
            throw PgSession.unreachable(url, e);
        }
    }

    public int major() {
        return major;
    }

    /** The lab, or null for --scratch-url. */
    public Lab lab() {
        return lab;
    }

    /** URL of the scratch database. */
    public DatabaseUrl url() {
        return admin.withDatabase(db);
    }

    /** The connection to the scratch database (opened on demand, autocommit on). */
    public Connection main() {
        if (main == null) {
            main = PgSession.connect(url(), "runway check");
        }
        return main;
    }

    /**
     * A disposable copy of the scratch database ({@code CREATE DATABASE ... TEMPLATE}); the main
     * connection is closed first because a template must have no sessions. Drop it with {@link #dropCopy()}.
     */
    public Connection copy() {
        closeMain();
        copy = db + "_copy";
        exec("CREATE DATABASE " + copy + " TEMPLATE " + db);
        return PgSession.connect(admin.withDatabase(copy), "runway check (copy)");
    }

    public void dropCopy() {
        if (copy != null) {
            exec("DROP DATABASE IF EXISTS " + copy + " WITH (FORCE)");
            copy = null;
        }
    }

    /**
     * Creates NOLOGIN role {@code name} on the scratch server (roles are cluster-wide: on --scratch-url
     * it stays after the run), so GRANTs to application roles that exist in production do not fail.
     * Returns true when the role exists afterwards.
     */
    public boolean ensureRole(String name) {
        exec("DO $r$ BEGIN CREATE ROLE \"" + name.replace("\"", "\"\"") + "\" NOLOGIN;"
                + " EXCEPTION WHEN duplicate_object THEN NULL; END $r$");
        return true;
    }

    /** Drops and re-creates the scratch database (after a failed in-place round trip left it half-changed). */
    public void recreate() {
        closeMain();
        exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        exec("CREATE DATABASE " + db);
    }

    private void closeMain() {
        if (main != null) {
            try {
                main.close();
            } catch (SQLException e) {
                // closing a scratch session: nothing to recover
            }
            main = null;
        }
    }

    private void exec(String sql) {
        try {
            if (adminSession == null) {
                adminSession = PgSession.connect(admin, "runway check (admin)");
            }
            try (Statement st = adminSession.createStatement()) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new RunwayException(ErrorCode.TEMPORARY, "scratch server " + admin + ": " + sql + " failed: " + e.getMessage(), e);
        }
    }

    private void closeAdmin() {
        if (adminSession != null) {
            try {
                adminSession.close();
            } catch (SQLException e) {
                // closing the admin session: nothing to recover
            }
            adminSession = null;
        }
    }

    @Override
    public void close() {
        closeMain();
        try {
            if (lab == null) {
                dropCopy();
                exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        } finally {
            closeAdmin();
            if (lab != null) {
                lab.close();
            }
        }
    }
}
