package dev.runway.lab.internal;

import dev.runway.core.RunwayException;
import dev.runway.lab.PgBinaries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * A freshly initdb'd, cleanly shut down data dir with the lab's settings, cached per binary version
 * under {@code <cache>/templates/} so that a lab start copies it (about 0.1 s) instead of running initdb
 * (about 1 s). Every node of a new lab is a copy of it, which also makes each replica a valid cold
 * copy of its primary. Stateless; thread-safe (concurrent builders race on an atomic rename).
 */
public final class Template {
    private static final Logger LOG = Logger.getLogger(Template.class.getName());

    /**
     * Lab settings appended to postgresql.conf. A lab is disposable: fsync and full_page_writes are
     * off (a crash of the machine may corrupt it; a kill -9 of the server does not).
     */
    static final String SETTINGS = String.join("\n",
            "",
            "# runway-lab: a disposable local cluster; fsync and full_page_writes off on purpose",
            "listen_addresses = '127.0.0.1'",
            "max_connections = 200",
            "shared_buffers = '32MB'",
            "wal_level = replica",
            "max_wal_senders = 20",
            "max_replication_slots = 20",
            "wal_keep_size = '256MB'",
            "hot_standby = on",
            "hot_standby_feedback = on",
            "wal_receiver_status_interval = '1s'",
            "wal_retrieve_retry_interval = '100ms'",
            "fsync = off",
            "full_page_writes = off",
            "synchronous_commit = on",
            "log_line_prefix = '%m [%p] %q%a '",
            "# per node: port, cluster_name, socket dir, primary_conninfo (rewritten by the lab)",
            "include_if_exists 'runway-node.conf'",
            "");

    private Template() {
    }

    /** Runs initdb into {@code dataDir} and appends the lab settings. */
    public static void initdb(PgBinaries bins, Path dataDir) {
        List<String> args = List.of("-D", dataDir.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--locale=C.UTF-8", "--no-sync");
        Os.Result r = Os.run(Os.serverCommand(bins.initdb(), args), Duration.ofMinutes(3));
        if (r.exitCode() != 0) {
            throw RunwayException.usage("initdb " + dataDir + " with " + bins.binDir() + " failed (exit " + r.exitCode() + "): "
                    + r.lastLine());
        }
        try {
            Files.writeString(dataDir.resolve("postgresql.conf"), SETTINGS, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw RunwayException.usage("cannot write " + dataDir.resolve("postgresql.conf") + ": " + e.getMessage());
        }
    }

    /**
     * Copies the cached template for {@code bins} to {@code dataDir}, building the template first when
     * missing. Falls back to a plain initdb when the cache dir is not writable.
     *
     * @return true when a cached template was used
     */
    public static boolean create(PgBinaries bins, Path cacheDir, Path dataDir) {
        Path tmpl;
        try {
            tmpl = ensure(bins, cacheDir);
        } catch (IOException | RunwayException e) {
            LOG.warning("template cache " + cacheDir + " unusable (" + e.getMessage() + "); running initdb directly");
            initdb(bins, dataDir);
            return false;
        }
        Dirs.copy(tmpl, dataDir);
        return true;
    }

    /** The template dir for these binaries, built when missing. */
    public static Path ensure(PgBinaries bins, Path cacheDir) throws IOException {
        String key = bins.version() + "-" + Integer.toHexString(bins.binDir().toAbsolutePath().toString().hashCode())
                + "-u" + Os.uid();
        Path root = cacheDir.resolve("templates");
        Path tmpl = root.resolve(key);
        if (Files.isRegularFile(tmpl.resolve("PG_VERSION")) && Files.isRegularFile(tmpl.resolve("global/pg_control"))) {
            return tmpl;
        }
        Files.createDirectories(root);
        Path work = Files.createTempDirectory(root, key + ".tmp");
        try {
            Path data = work.resolve("data");
            initdb(bins, data);
            try {
                Files.move(data, tmpl, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // built concurrently by someone else
            } catch (IOException e) {
                if (!Files.isRegularFile(tmpl.resolve("PG_VERSION"))) {
                    throw e;
                }
            }
        } finally {
            Dirs.deleteTree(work);
        }
        return tmpl;
    }
}
