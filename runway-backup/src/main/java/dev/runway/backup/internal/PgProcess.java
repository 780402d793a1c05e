package dev.runway.backup.internal;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starting pg_dump / pg_restore: connection arguments from a {@link DatabaseUrl}, the password only
 * in the child's environment ({@code PGPASSWORD}; arguments show in {@code ps}), the version check,
 * and stderr collected (bounded) for a one-line error with the password masked.
 */
public final class PgProcess {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");
    private final Process process;
    private final String password;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Thread drain;

    private PgProcess(Process process, String password) {
        this.process = process;
        this.password = password;
        this.drain = new Thread(() -> {
            byte[] b = new byte[8192];
            try (InputStream in = process.getErrorStream()) {
                int n;
                while ((n = in.read(b)) > 0) {
                    synchronized (stderr) {
                        if (stderr.size() < 64 * 1024) {
                            stderr.write(b, 0, n);
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "runway-pg-stderr");
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * The major version of {@code program} ({@code --version}).
     *
     * @param what the flag or variable that named it, for errors
     */
    public static int major(String program, String what) {
        try {
            Process p = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher m = VERSION.matcher(v);
            if (!m.find()) {
                throw RunwayException.usage(what + ": cannot tell the version of " + program + " (it printed '"
                        + v.trim().lines().findFirst().orElse("") + "')");
            }
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw RunwayException.usage(what + ": " + program + " not found; install postgresql-client or set "
                    + (program.contains("restore") ? "RUNWAY_PG_RESTORE" : "RUNWAY_PG_DUMP"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunwayException(ErrorCode.TEMPORARY, what + ": interrupted", e);
        }
    }

    /** Refuses a client older than the server's major version. */
    public static void requireAtLeast(String program, String var, int serverMajor, String what) {
        int major = major(program, what);
        if (major < serverMajor) {
            throw RunwayException.usage(what + ": " + program + " is version " + major + ", older than the server (" + serverMajor
                    + "), and cannot handle it; install postgresql-client-" + serverMajor + " or point " + var + " at a newer one");
        }
    }

    /** Starts {@code program} with {@code args} and the connection to {@code url}. */
    public static PgProcess start(String program, List<String> args, DatabaseUrl url) {
        List<String> cmd = new ArrayList<>();
        cmd.add(program);
        cmd.addAll(args);
        cmd.addAll(List.of("--no-password", "-h", url.host(), "-p", String.valueOf(url.port()), "-d", url.database()));
        if (url.user() != null) {
            cmd.add("-U");
            cmd.add(url.user());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        String pw = url.properties().getProperty("password");
        if (pw != null) {
            env.put("PGPASSWORD", pw);
        }
        env.putAll(url.libpqTlsEnvironment());
        env.put("PGAPPNAME", "runway " + (program.contains("restore") ? "restore" : "backup"));
        env.putIfAbsent("PGCONNECT_TIMEOUT", "10");
        try {
            return new PgProcess(pb.start(), pw);
        } catch (IOException e) {
            throw RunwayException.usage(program + " could not be started (" + e.getMessage() + ")");
        }
    }

    public Process process() {
        return process;
    }

    /** Waits for the end; returns the exit status. */
    public int waitFor() {
        try {
            int rc = process.waitFor();
            drain.join(5000);
            return rc;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RunwayException(ErrorCode.TEMPORARY, "interrupted", e);
        }
    }

    /** Ends the process now (a failure elsewhere); waits briefly so no child outlives us. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first meaningful stderr line, password masked. */
    public String firstErrorLine() {
        String s;
        synchronized (stderr) {
            s = stderr.toString(StandardCharsets.UTF_8);
        }
        String line = s.lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse("exit " + process.exitValue());
        return password == null || password.isEmpty() ? line : line.replace(password, "***");
    }
}
