package dev.runway.lab.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Ready-made copies of a template next to it ({@code <template>.spares/}): a new lab takes one with
 * an atomic rename (milliseconds) instead of copying ~1,000 files (about a second on a busy disk),
 * and a detached shell copies replacements afterwards. A rename claims a spare exactly once, so
 * concurrent JVMs are safe; copies in progress are named {@code <id>.<pid>.tmp} and removed once
 * their process is gone.
 *
 * <p>A rename cannot cross file systems: a temporary lab made on another one than the template cache (a check's lab
 * in /dev/shm) finds its spares on its own, in {@code <temp dir>/runway-lab-spares/<template>-<inode>/} ({@link
 * #dir(Path, Path)}): one there, not three, for such a file system is often memory (39 MB for PostgreSQL 15), copied
 * once that lab's dir is gone rather than while it works (a check's lab lives a second, busy on both cores). The
 * template's inode in the name keeps apart the spares of two caches' templates of one name (two data directories
 * of different system identifiers, which a primary and its replicas must not mix) and of a template made again.
 * Stateless; thread-safe.
 */
public final class Spares {
    private static final Logger LOG = Logger.getLogger(Spares.class.getName());

    private Spares() {
    }

    /** The directory of a temporary lab's spares when it is on another file system than the template. */
    public static final String OWN_DIR = "runway-lab-spares";

    /**
     * Where a lab made under {@code labBase} (the temporary labs' directory; null for a lab of a directory the user
     * named) finds the spares of {@code template}: next to the template, or under {@code labBase} when that is on
     * another file system.
     */
    public static Path dir(Path template, Path labBase) {
        Path beside = template.resolveSibling(template.getFileName() + ".spares");
        if (labBase == null) {
            return beside;
        }
        try {
            java.util.Map<String, Object> t = Files.readAttributes(template, "unix:dev,ino"); // one stat for both
            if (Files.getAttribute(labBase, "unix:dev").equals(t.get("dev"))) {
                return beside;
            }
            return labBase.resolve(OWN_DIR).resolve(template.getFileName() + "-" + t.get("ino"));
        } catch (IOException | RuntimeException e) {
            return beside; // no unix attributes: a take fails as before and the lab copies
        }
    }

    /** Moves a ready spare from {@code dir} to {@code target}; false when none is ready or it is on another file system. */
    public static boolean take(Path dir, Path target) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        for (Path spare : ready(dir)) {
            try {
                Files.move(spare, target, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (NoSuchFileException e) {
                // another lab took it first
            } catch (AtomicMoveNotSupportedException e) {
                return false; // lab dir on another file system: copying is the only way
            } catch (IOException e) {
                LOG.log(Level.FINE, "cannot take spare " + spare, e);
                return false;
            }
        }
        return false;
    }

    /**
     * For each id from {@code $4} on: marks {@code $1/<id>.<pid>.tmp}, waits while {@code $3} (when not empty) exists,
     * copies {@code $2} to that name, then renames it to {@code $1/<id>}.
     */
    private static final String COPY = String.join("\n",
            "dir=$1; tmpl=$2; after=$3; shift 3",
            // each copy is counted as in progress from now on (<id>.<pid>.tmp of a live process)
            "for id in \"$@\"; do : > \"$dir/$id.$$.tmp\"; done",
            // an hour at most: a lab dir that is never deleted must not keep this shell forever
            "n=0; while [ -n \"$after\" ] && [ -e \"$after\" ] && [ $n -lt 36000 ]; do sleep 0.1; n=$((n + 1)); done",
            "for id in \"$@\"; do",
            "  t=\"$dir/$id.$$.tmp\"",
            "  rm -f \"$t\" && cp -a \"$tmpl\" \"$t\" && mv \"$t\" \"$dir/$id\" || { rm -rf \"$t\"; exit 1; }",
            "done");

    /** Runs the script {@code $0} as {@code $1} with the rest, detached (its own session, niced, no terminal), in the background. */
    private static final String DETACH = "setsid nice -n 10 sh -c \"$0\" \"$@\" </dev/null >/dev/null 2>&1 &";

    /**
     * Tops the spares of {@code template} in {@code dir} ({@link #dir(Path, Path)}) up to {@code keep} with a detached,
     * niced shell, so that the copies complete even when this JVM exits right after the start (a {@code runway lab
     * up}). In a lab's own directory of spares, away from the template: up to one, copied once {@code labDir} is gone
     * (a short-lived lab, busy while it lives: the copy would compete with its work).
     */
    public static void refill(Path dir, Path template, int keep, Path labDir) {
        boolean beside = dir.getParent().equals(template.getParent());
        Path after = beside ? null : labDir;
        int want = beside ? keep : Math.min(1, keep);
        if (want <= 0) {
            return;
        }
        try {
            Files.createDirectories(dir);
            removeOrphans(dir);
            long missing = want - count(dir);
            if (missing <= 0) {
                return;
            }
            // The shell this JVM starts only starts the copying one in the background and ends: a JVM that exits while
            // a child it started still runs waits 0.3 s for the thread that reaps it (Java 17, measured).
            List<String> cmd = new ArrayList<>(List.of("sh", "-c", DETACH, COPY, "runway-lab-spares",
                    dir.toString(), template.toString(), after == null ? "" : after.toString()));
            for (long i = 0; i < missing; i++) {
                cmd.add(UUID.randomUUID().toString());
            }
            Os.builder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "refilling spares of " + template + " failed", e);
        }
    }

    /** Ready spares plus copies in progress in live processes. */
    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !isTmp(p) || !orphaned(p)).count();
        }
    }

    private static boolean isTmp(Path p) {
        return p.getFileName().toString().endsWith(".tmp");
    }

    /** A copy in progress whose process is gone ({@code <id>.<pid>.tmp}); cp -a keeps the template's mtime, so age says nothing. */
    private static boolean orphaned(Path tmp) {
        String[] parts = tmp.getFileName().toString().split("\\.");
        try {
            return parts.length < 3 || !Os.isAlive(Long.parseLong(parts[parts.length - 2]));
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static List<Path> ready(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !isTmp(p)).collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void removeOrphans(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> isTmp(p) && orphaned(p)).collect(Collectors.toList())) {
                Dirs.deleteTree(p);
            }
        }
    }
}
