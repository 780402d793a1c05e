package dev.runway.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Running an unpacked bundle's commands as a user would, for the bundle tests. */
final class Commands {
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private Commands() {
    }

    record Result(int exit, String out, String err) {
    }

    /**
     * Runs {@code cmd} in {@code cwd} with this JVM's environment less Runway's own variables, {@code DATABASE_URL} and
     * {@code JAVA_TOOL_OPTIONS}, plus {@code env}; its output goes through files in {@code tmp} and is added to
     * {@code outputs}. Fails the test when it runs for more than 180 s.
     */
    static Result run(Path tmp, List<String> outputs, Path cwd, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().keySet().removeIf(k -> k.equals("DATABASE_URL") || k.startsWith("RUNWAY_") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in 180 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        outputs.add(r.out() + r.err());
        return r;
    }

    /** The major version in a Java runtime's {@code release} file; 0 when it has none. */
    static int major(Path runtime) throws IOException {
        Path release = runtime.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        Matcher m = JAVA_VERSION.matcher(Files.readString(release));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The home of the newest JDK under /usr/lib/jvm whose major version is at least {@code min} and that has {@code tool}, or null. */
    static Path newestJdk(int min, String tool) throws IOException {
        Path best = null;
        int bestMajor = 0;
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                if (Files.isSymbolicLink(d) || !Files.isExecutable(d.resolve("bin/" + tool))) {
                    continue;
                }
                int major = major(d);
                if (major >= Math.max(min, bestMajor + 1)) {
                    bestMajor = major;
                    best = d;
                }
            }
        }
        return best;
    }
}
