package dev.runway.lab.internal;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Directory helpers: copy a data dir, delete a tree, who owns a dir. Stateless; thread-safe. */
public final class Dirs {
    private Dirs() {
    }

    /** {@code cp -a src dst}: keeps modes (a data dir must stay 0700) and is much faster than a Java walk. */
    public static void copy(Path src, Path dst) {
        Os.check(List.of("cp", "-a", src.toString(), dst.toString()), Duration.ofMinutes(2), "copy of " + src + " to " + dst);
    }

    /** Deletes a tree; missing is fine. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a server may still be removing its files; retried below with rm -rf
                }
            });
        } catch (IOException | RuntimeException e) {
            // fall through to rm -rf
        }
        if (Files.exists(dir)) {
            Os.Result r = Os.run(List.of("rm", "-rf", dir.toString()), Duration.ofMinutes(1));
            if (r.exitCode() != 0) {
                throw new RunwayException(ErrorCode.USAGE, "cannot delete " + dir + ": " + r.lastLine());
            }
        }
    }

    /** Numeric uid owning a path. */
    public static int ownerUid(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new RunwayException(ErrorCode.USAGE, "cannot read the owner of " + p + ": " + e.getMessage(), e);
        }
    }

    /** User name owning a path. */
    public static String ownerName(Path p) {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class).owner().getName();
        } catch (IOException e) {
            return "uid " + ownerUid(p);
        }
    }
}
