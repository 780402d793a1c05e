package dev.runway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command under GNU time ({@code /usr/bin/time -f "%e %U %S %M"}): wall seconds, user and
 * system CPU seconds, peak RSS in KiB of the measured process. Output goes to a log file. Stateless.
 */
public final class TimedRun {
    /** One measurement. */
    public record Result(double wall, double user, double sys, long rssKib, int exitCode, Path log) {
        public double cpu() {
            return user + sys;
        }
    }

    private TimedRun() {
    }

    public static Result run(List<String> command, Path log, Map<String, String> env, Path cwd, long timeoutSeconds) {
        try {
            Path timeFile = log.resolveSibling(log.getFileName() + ".time");
            List<String> line = new ArrayList<>(List.of("/usr/bin/time", "-o", timeFile.toString(), "-f", "%e %U %S %M"));
            line.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(line).directory(cwd.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
            }
            List<String> lines = Files.readAllLines(timeFile, StandardCharsets.UTF_8);
            String[] f = lines.get(lines.size() - 1).trim().split(" ");
            return new Result(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Long.parseLong(f[3]), p.exitValue(), log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
