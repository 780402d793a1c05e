package dev.runway.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Test helper: runs the real {@code runway} command in a child JVM and captures exit code, stdout and stderr. */
final class Cli {
    private Cli() {
    }

    /** Outcome of one run. */
    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        String all() {
            return out + err;
        }
    }

    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null ? cp : System.getProperty("java.class.path");
    }

    static ProcessBuilder builder(Path cwd, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath(),
                "dev.runway.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.equals("DATABASE_URL") || k.startsWith("RUNWAY_") || k.startsWith("FLY_") || k.startsWith("AWS_")
                || k.equals("BUCKET_NAME"));
        e.put("NO_COLOR", "1");
        e.putAll(env);
        return pb;
    }

    static Result run(Path cwd, Map<String, String> env, String... args) {
        try {
            Path out = Files.createTempFile("runway-out", ".txt");
            Path err = Files.createTempFile("runway-err", ".txt");
            try {
                Process p = builder(cwd, env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("runway " + String.join(" ", args) + " did not finish in 120 s");
                }
                Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
                // Not a terminal: no progress line, no colour, no cursor movement, in any command's output.
                if (r.all().indexOf('\r') >= 0 || r.all().indexOf('\u001b') >= 0) {
                    throw new AssertionError("terminal control characters in the output of runway " + String.join(" ", args)
                            + ":\n" + r.all());
                }
                return r;
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the command with a terminal on stdin and stdout (util-linux {@code script}), stderr merged;
     * {@link Result#out()} is what the terminal received, control characters included.
     */
    static Result runOnTerminal(Path cwd, Map<String, String> env, String... args) {
        ProcessBuilder pb = onTerminal(builder(cwd, env, args)).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process p = pb.start();
            String tty = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("runway " + String.join(" ", args) + " did not finish in 120 s");
            }
            return new Result(p.exitValue(), tty, "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The same command run by util-linux {@code script} on a new terminal, stderr merged. {@code script} starts it through
     * {@code $SHELL -c}; {@code exec} makes runway itself the terminal's foreground process whatever that shell is (dash,
     * CI's {@code /bin/sh}, forks and dies of a Ctrl-C itself, so the exit status would be the shell's 130, not runway's).
     */
    static ProcessBuilder onTerminal(ProcessBuilder pb) {
        pb.environment().put("SHELL", "/bin/sh");
        return pb.command("/usr/bin/script", "-qec", "exec " + String.join(" ", pb.command()), "/dev/null").redirectErrorStream(true);
    }

    /** Whether {@link #runOnTerminal} can work here. */
    static boolean terminalAvailable() {
        return Files.isExecutable(Path.of("/usr/bin/script"));
    }

    static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
