package dev.runway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java runtimes the benchmarks run Runway on: {@code java} on the PATH, and the newest JDK under /usr/lib/jvm (this
 * machine has Temurin 25 there), whose start-up archive is an AOT cache (the launchers' {@code lib/launch.sh}).
 */
final class Jdks {
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private Jdks() {
    }

    /** The java of the newest JDK under /usr/lib/jvm of at least major version {@code min}; fails when there is none. */
    static Path newest(int min) {
        Path best = null;
        int bestMajor = min - 1;
        try (Stream<Path> dirs = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                Path java = d.resolve("bin/java");
                int major = Files.isSymbolicLink(d) || !Files.isExecutable(java) ? 0 : major(java);
                if (major > bestMajor) {
                    bestMajor = major;
                    best = java;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /usr/lib/jvm: " + e.getMessage(), e);
        }
        if (best == null) {
            throw new IllegalStateException("no Java " + min + " or newer under /usr/lib/jvm");
        }
        return best;
    }

    /** The major version of the runtime {@code java} belongs to, from its release file; 0 when unknown. */
    static int major(Path java) {
        try {
            Path release = java.toRealPath().getParent().getParent().resolve("release");
            Matcher m = VERSION.matcher(Files.readString(release));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
