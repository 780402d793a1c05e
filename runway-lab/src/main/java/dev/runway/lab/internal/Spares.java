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
 * Stateless; thread-safe.
 */
public final class Spares {
    private static final Logger LOG = Logger.getLogger(Spares.class.getName());

    private Spares() {
    }

    private static Path dir(Path template) {
        return template.resolveSibling(template.getFileName() + ".spares");
    }

    /** Moves a ready spare of {@code template} to {@code target}; false when none is ready or it is on another file system. */
    public static boolean take(Path template, Path target) {
        Path dir = dir(template);
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

    /** For each id from {@code $3} on: copies {@code $2} to {@code $1/<id>.<pid>.tmp}, then renames it to {@code $1/<id>}. */
    private static final String COPY = String.join("\n",
            "dir=$1; tmpl=$2; shift 2",
            "for id in \"$@\"; do",
            "  t=\"$dir/$id.$$.tmp\"",
            "  cp -a \"$tmpl\" \"$t\" && mv \"$t\" \"$dir/$id\" || { rm -rf \"$t\"; exit 1; }",
            "done");

    /**
     * Tops the spares of {@code template} up to {@code keep} with a detached, niced shell, so that the
     * copies complete even when this JVM exits right after the start (a {@code runway lab up}).
     */
    public static void refill(Path template, int keep) {
        if (keep <= 0) {
            return;
        }
        Path dir = dir(template);
        try {
            Files.createDirectories(dir);
            removeOrphans(dir);
            long missing = keep - count(dir);
            if (missing <= 0) {
                return;
            }
            List<String> cmd = new ArrayList<>(List.of("setsid", "nice", "-n", "10", "sh", "-c", COPY, "runway-lab-spares",
                    dir.toString(), template.toString()));
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
