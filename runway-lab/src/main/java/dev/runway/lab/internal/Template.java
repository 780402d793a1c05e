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
import java.util.ArrayList;
import java.util.List;

/**
 * A freshly initdb'd, cleanly shut down data dir with the lab's settings, cached per binary version
 * under {@code <cache>/templates/} so that a lab start copies it (about 0.1 s) instead of running initdb
 * (about 1 s). Every node of a new lab is a copy of it, which also makes each replica a valid cold
 * copy of its primary. Stateless; thread-safe (concurrent builders race on an atomic rename).
 */
public final class Template {
    /**
     * Lab settings appended to postgresql.conf. A lab is disposable: fsync and full_page_writes are
     * off (a crash of the machine may corrupt it; a kill -9 of the server does not). Its dynamic shared
     * memory segments are files under the data dir ({@code mmap}), so they go with the lab's directory
     * even when its servers were killed hard; POSIX segments in /dev/shm would outlive them.
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
            "# dynamic shared memory as files in the data dir: a server killed hard leaves no segment in /dev/shm",
            "dynamic_shared_memory_type = mmap",
            "# per node: port, cluster_name, socket dir, primary_conninfo (rewritten by the lab)",
            "include_if_exists 'runway-node.conf'",
            "");

    static final List<String> INITDB_ARGS = List.of("-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");

    private Template() {
    }

    /** Runs initdb into {@code dataDir} and appends the lab settings. */
    public static void initdb(PgBinaries bins, ServerUser as, Path dataDir) {
        List<String> args = new ArrayList<>(List.of("-D", dataDir.toString()));
        args.addAll(INITDB_ARGS);
        Os.Result r = Os.run(as.command(bins.initdb(), args), Duration.ofMinutes(3));
        if (r.exitCode() != 0) {
            throw RunwayException.usage("initdb " + dataDir + " with " + bins.binDir() + " failed (exit " + r.exitCode() + "): "
                    + r.errorLine() + Os.unshareHint());
        }
        try {
            Files.writeString(dataDir.resolve("postgresql.conf"), SETTINGS, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw RunwayException.usage("cannot write " + dataDir.resolve("postgresql.conf") + ": " + e.getMessage());
        }
    }

    /** The template dir for these binaries, built when missing. */
    public static Path ensure(PgBinaries bins, ServerUser as, Path cacheDir) throws IOException {
        // a change of binaries, owner, initdb arguments or settings makes a new template (and new spares)
        String recipe = bins.binDir().toAbsolutePath() + "|" + INITDB_ARGS + "|" + SETTINGS;
        String key = bins.version() + "-" + Integer.toHexString(recipe.hashCode()) + "-" + as.key();
        Path root = cacheDir.resolve("templates");
        Path tmpl = root.resolve(key);
        if (Files.isRegularFile(tmpl.resolve("PG_VERSION")) && Files.isRegularFile(tmpl.resolve("global/pg_control"))) {
            return tmpl;
        }
        Files.createDirectories(root);
        Path work = Files.createTempDirectory(root, key + ".tmp");
        Path switched = null;
        try {
            Path data = work.resolve("data");
            if (as.switches()) {
                // the other user cannot reach our cache dir: initdb where it can, then copy (owner kept)
                switched = Files.createTempDirectory(Path.of("/tmp"), "runway-initdb-");
                as.own(switched);
                initdb(bins, as, switched.resolve("data"));
                Dirs.copy(switched.resolve("data"), data);
            } else {
                initdb(bins, as, data);
            }
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
            Dirs.deleteTree(switched);
        }
        return tmpl;
    }
}
