package dev.runway.backup;

import dev.runway.backup.internal.BackupName;
import dev.runway.backup.internal.PgProcess;
import dev.runway.backup.internal.Store;
import dev.runway.backup.internal.Stores;
import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.core.pg.PgSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Backups at one {@link BackupLocation}: take one ({@code pg_dump -Fc} streamed into the store, its
 * SHA-256 computed on the way and stored next to it as {@code <name>.sha256}), list them, prune to
 * the newest N, restore one. The library never prints; failures are {@link RunwayException}s whose
 * code is the exit code (2 configuration, 75 temporary, 4 checksum mismatch, 1 pg_restore failed).
 *
 * <pre>
 * try (Backups b = Backups.open(BackupLocation.parse("s3://bucket/app/", "backup", System::getenv),
 *         () -&gt; S3Config.builder()...build(), PgTools.fromEnvironment(System::getenv), "backup")) {
 *     BackupResult r = b.backup(url, "20250301120000", "1.0", 7);
 * }
 * </pre>
 * Not thread-safe; close it to release the S3 client.
 */
public final class Backups implements AutoCloseable {
    static final String META_DATABASE = "runway-database";
    static final String META_SERVER = "runway-server-version";
    static final String META_SCHEMA = "runway-schema-version";
    static final String META_RUNWAY = "runway-version";
    private static final int CHUNK = 256 * 1024;
    private final BackupLocation location;
    private final Store store;
    private final PgTools tools;
    private final String source;
    private final Clock clock;

    private Backups(BackupLocation location, Store store, PgTools tools, String source, Clock clock) {
        this.location = location;
        this.store = store;
        this.tools = tools;
        this.source = source;
        this.clock = clock;
    }

    /**
     * Parses {@code location} like {@code --backup} does: a directory, {@code s3://BUCKET/PREFIX/} or {@code s3}.
     *
     * @throws RunwayException USAGE for another scheme or an S3 location without a bucket
     */
    public static BackupLocation parse(String location, String source, java.util.function.Function<String, String> env) {
        return BackupLocation.parse(location, source, env);
    }

    /**
     * @param s3     asked only for an S3 location (so a directory needs no AWS variables)
     * @param source the flag or key that named the location, for errors
     */
    public static Backups open(BackupLocation location, Supplier<S3Config> s3, PgTools tools, String source) {
        return new Backups(location, Stores.open(location, s3, source), tools, source, Clock.systemUTC());
    }

    public BackupLocation location() {
        return location;
    }

    /**
     * Dumps {@code url} into a new backup, then keeps only the newest {@code keep} backups of this database
     * at the location ({@code keep} 0 = keep all). Nothing is visible under the backup's name unless the
     * whole dump was stored.
     *
     * @param schemaVersion the newest applied migration version ({@code null} or "0": none), part of the name
     */
    public BackupResult backup(DatabaseUrl url, String schemaVersion, String runwayVersion, int keep) {
        long t0 = System.nanoTime();
        int major;
        String serverVersion;
        try (Connection c = PgSession.connect(url, "runway backup"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            serverVersion = rs.getString(1);
            major = PgSession.majorVersion(c);
        } catch (SQLException e) {
            throw PgSession.unreachable(url, e);
        }
        PgProcess.requireAtLeast(tools.pgDump(), "RUNWAY_PG_DUMP", major, source);
        BackupName name = BackupName.of(url.database(), clock.instant(), schemaVersion);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(META_DATABASE, name.database());
        meta.put(META_SERVER, serverVersion.split(" ")[0]);
        meta.put(META_SCHEMA, name.schemaVersion());
        meta.put(META_RUNWAY, runwayVersion);
        Store.Upload upload = store.create(name.toString(), meta);
        MessageDigest sha = sha256();
        long bytes = 0;
        PgProcess dump = null;
        try {
            dump = PgProcess.start(tools.pgDump(), List.of("-Fc"), url);
            OutputStream out = upload.out();
            try (InputStream in = dump.process().getInputStream()) {
                byte[] buf = new byte[CHUNK];
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                    out.write(buf, 0, n);
                    bytes += n;
                }
            }
            int rc = dump.waitFor();
            if (rc != 0) {
                throw new RunwayException(ErrorCode.TEMPORARY, source + ": pg_dump failed: " + dump.firstErrorLine());
            }
            upload.complete();
        } catch (IOException e) {
            RunwayException r = new RunwayException(ErrorCode.TEMPORARY, source + ": reading pg_dump's output failed (" + e.getMessage() + ")", e);
            abort(dump, upload, r);
            throw r;
        } catch (RuntimeException | Error e) {
            abort(dump, upload, e);
            throw e;
        }
        String hex = hex(sha.digest());
        store.writeText(name + BackupName.CHECKSUM_SUFFIX, name.checksumLine(hex));
        BackupInfo info = new BackupInfo(name.toString(), store.describe(name.toString()), name.database(), name.createdAt(),
                name.schemaVersion(), bytes, hex, meta.get(META_SERVER), runwayVersion);
        List<BackupInfo> pruned = keep > 0 ? prune(name.database(), keep) : List.of();
        return new BackupResult(info, Duration.ofNanos(System.nanoTime() - t0), pruned);
    }

    private static void abort(PgProcess dump, Store.Upload upload, Throwable cause) {
        if (dump != null) {
            dump.kill();
        }
        upload.abort(cause);
    }

    /**
     * Deletes all but the newest {@code keep} backups of {@code database} (with their {@code .sha256}),
     * and aborts incomplete uploads more than a day old (killed runs). Returns what was deleted.
     */
    public List<BackupInfo> prune(String database, int keep) {
        if (keep < 1) {
            throw RunwayException.usage("--keep " + keep + ": keep at least 1 backup");
        }
        List<BackupInfo> mine = list().stream().filter(b -> b.database().equals(database)).collect(Collectors.toList());
        List<BackupInfo> gone = new ArrayList<>();
        for (BackupInfo b : mine.subList(Math.min(keep, mine.size()), mine.size())) {
            store.delete(b.name());
            store.delete(b.name() + BackupName.CHECKSUM_SUFFIX);
            gone.add(b);
        }
        store.abortStaleUploads();
        return gone;
    }

    /** Every backup at the location, newest first. */
    public List<BackupInfo> list() {
        List<Store.Entry> entries = store.list();
        Set<String> names = entries.stream().map(Store.Entry::name).collect(Collectors.toSet());
        List<BackupInfo> out = new ArrayList<>();
        for (Store.Entry e : entries) {
            BackupName n = BackupName.parse(e.name());
            if (n == null) {
                continue;
            }
            String sum = names.contains(e.name() + BackupName.CHECKSUM_SUFFIX)
                    ? BackupName.parseChecksum(store.readText(e.name() + BackupName.CHECKSUM_SUFFIX)) : null;
            Map<String, String> meta = store.metadata(e.name());
            out.add(new BackupInfo(e.name(), store.describe(e.name()), n.database(), n.createdAt(), n.schemaVersion(), e.size(), sum,
                    meta.get(META_SERVER), meta.get(META_RUNWAY)));
        }
        out.sort(Comparator.comparing(BackupInfo::createdAt).thenComparing(BackupInfo::name).reversed());
        return out;
    }

    /** Incomplete uploads (killed runs) at the location; 0 for a directory, -1 when the store cannot list them. */
    public int incompleteUploads() {
        return store.incompleteUploads();
    }

    @Override
    public void close() {
        store.close();
    }

    /**
     * Restores {@code backup} ({@code s3://BUCKET/KEY} or a file) into the database at {@code to} with
     * {@code pg_restore --single-transaction --exit-on-error}: all or nothing. The target must be empty
     * (no tables, views, sequences, functions or schemas besides {@code public}) unless {@code clean}
     * (then objects in the backup are dropped first, {@code --clean --if-exists}). The SHA-256 is checked
     * against the {@code .sha256} companion before pg_restore receives the last bytes, so a corrupt backup
     * changes nothing (exit 4).
     *
     * @param s3 asked only for an {@code s3://} backup
     */
    public static RestoreResult restore(String backup, DatabaseUrl to, boolean clean, boolean noOwner, Supplier<S3Config> s3,
                                        PgTools tools) {
        long t0 = System.nanoTime();
        BackupLocation where;
        String name;
        if (backup.startsWith("s3://")) {
            int slash = backup.lastIndexOf('/');
            where = BackupLocation.parse(backup.substring(0, slash + 1), "backup restore", k -> null);
            name = backup.substring(slash + 1);
        } else {
            java.nio.file.Path p = java.nio.file.Path.of(backup).toAbsolutePath();
            BackupLocation.parse(backup, "backup restore", k -> null); // refuses other schemes
            where = new BackupLocation.Directory(p.getParent());
            name = p.getFileName().toString();
        }
        if (name.isEmpty()) {
            throw RunwayException.usage("backup restore: '" + backup + "' names no backup (give s3://BUCKET/KEY or a file)");
        }
        try (Store store = Stores.open(where, s3, "backup restore")) {
            long size = store.size(name);
            int major = requireRestorable(to, clean);
            PgProcess.requireAtLeast(tools.pgRestore(), "RUNWAY_PG_RESTORE", major, "backup restore");
            String expected = BackupName.parseChecksum(store.readText(name + BackupName.CHECKSUM_SUFFIX));
            List<String> args = new ArrayList<>(List.of("--single-transaction", "--exit-on-error"));
            if (clean) {
                args.addAll(List.of("--clean", "--if-exists"));
            }
            if (noOwner) {
                args.addAll(List.of("--no-owner", "--no-privileges"));
            }
            long bytes = feed(store, name, expected, PgProcess.start(tools.pgRestore(), args, to), store.describe(name));
            if (bytes != size) {
                throw new RunwayException(ErrorCode.TEMPORARY, "backup restore: read " + bytes + " of " + size + " bytes of "
                        + store.describe(name));
            }
            return new RestoreResult(store.describe(name), to.database(), bytes, expected != null,
                    Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    /** Streams the backup into pg_restore, holding back the last chunk until the SHA-256 has been checked. */
    private static long feed(Store store, String name, String expected, PgProcess restore, String what) {
        MessageDigest sha = sha256();
        long bytes = 0;
        boolean ok = false;
        try (InputStream in = store.open(name); OutputStream stdin = restore.process().getOutputStream()) {
            byte[] held = new byte[CHUNK];
            byte[] next = new byte[CHUNK];
            int heldLen = in.readNBytes(held, 0, CHUNK);
            while (true) {
                int n = in.readNBytes(next, 0, CHUNK);
                if (n == 0) {
                    break;
                }
                stdin.write(held, 0, heldLen);
                sha.update(held, 0, heldLen);
                bytes += heldLen;
                byte[] t = held;
                held = next;
                next = t;
                heldLen = n;
            }
            sha.update(held, 0, heldLen);
            bytes += heldLen;
            String actual = hex(sha.digest());
            if (expected != null && !expected.equals(actual)) {
                throw new RunwayException(ErrorCode.INTEGRITY, "backup restore: " + what + " has SHA-256 " + actual
                        + " but its .sha256 says " + expected + "; the backup is damaged, nothing was restored");
            }
            stdin.write(held, 0, heldLen);
            ok = true;
        } catch (IOException e) {
            // pg_restore stopped reading: its own error (below) says why.
        } finally {
            if (!ok) {
                restore.kill();
            }
        }
        int rc = restore.waitFor();
        if (!ok && rc == 0) {
            throw new RunwayException(ErrorCode.TEMPORARY, "backup restore: reading " + what + " failed; nothing was restored");
        }
        if (rc != 0) {
            throw new RunwayException(ErrorCode.MIGRATION_FAILED, "backup restore: pg_restore failed: " + restore.firstErrorLine()
                    + "; nothing was restored (single transaction)");
        }
        return bytes;
    }

    /** Connects to the target, refuses a non-empty one without {@code clean}; returns its major version. */
    private static int requireRestorable(DatabaseUrl to, boolean clean) {
        try (Connection c = PgSession.connect(to, "runway restore"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                     + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
                     + " AND n.nspname NOT LIKE 'pg\\_temp%')"
                     + " + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                     + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))"
                     + " + (SELECT count(*) FROM pg_namespace WHERE nspname NOT IN ('public', 'information_schema')"
                     + " AND nspname NOT LIKE 'pg\\_%')")) {
            rs.next();
            long objects = rs.getLong(1);
            if (objects > 0 && !clean) {
                throw RunwayException.usage("backup restore: database '" + to.database() + "' is not empty (" + objects
                        + " tables, sequences, functions or schemas); restore into an empty database, or pass --clean to drop"
                        + " what the backup contains first");
            }
            return PgSession.majorVersion(c);
        } catch (SQLException e) {
            throw PgSession.unreachable(to, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder(b.length * 2);
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return s.toString();
    }
}
