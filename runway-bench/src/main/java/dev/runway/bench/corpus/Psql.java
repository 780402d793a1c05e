package dev.runway.bench.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference: one direction of one migration sent through {@code psql -f} exactly as written
 * ({@code ON_ERROR_STOP}, no {@code .psqlrc}), inside one transaction ({@code -1}) when the tool wraps it
 * in one. A file PostgreSQL refuses to run in a transaction block (SQLSTATE 25001) is run again without
 * {@code -1} (the failed attempt left nothing behind), as Flyway's detection and a single-statement
 * golang-migrate file do; the result says so. Immutable.
 */
final class Psql {
    /** The outcome of one run. */
    record Result(boolean ok, String error, boolean fellBackToAutocommit) {
    }

    private final Path psql;
    private final String host;
    private final int port;
    private final Path work;

    Psql(Path psql, String host, int port, Path work) {
        this.psql = psql;
        this.host = host;
        this.port = port;
        this.work = work;
    }

    /** Runs {@code sql} (line-aligned with {@code file}, relative to the migration directory) against {@code db}. */
    Result run(String db, String file, String sql, boolean tx) throws IOException, InterruptedException {
        Path f = work.resolve(file);
        Files.createDirectories(f.getParent());
        Files.writeString(f, sql, StandardCharsets.UTF_8);
        Result r = exec(db, file, tx);
        if (!r.ok() && tx && r.error().contains(" 25001:")) {
            Result again = exec(db, file, false);
            return new Result(again.ok(), again.error(), true);
        }
        return r;
    }

    /** Runs a short SQL text (setup, clean-up) in autocommit. */
    Result exec(String db, String sqlText) throws IOException, InterruptedException {
        return run(db, "_harness.sql", sqlText, false);
    }

    private Result exec(String db, String file, boolean tx) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(psql.toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", "VERBOSITY=verbose",
                "-h", host, "-p", String.valueOf(port), "-U", "postgres", "-d", db));
        if (tx) {
            cmd.add("-1");
        }
        cmd.add("-f");
        cmd.add(file);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PGOPTIONS", "-c client_min_messages=warning");
        Path err = work.resolve("_stderr.txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            return new Result(false, file + ": psql timed out after 15 minutes", false);
        }
        if (p.exitValue() == 0) {
            return new Result(true, null, false);
        }
        String error = null;
        for (String l : Files.readAllLines(err, StandardCharsets.UTF_8)) {
            if (l.contains("ERROR:") || l.contains("FATAL:")) {
                error = l.startsWith("psql:") ? l.substring(5) : l;
                break;
            }
        }
        return new Result(false, error != null ? error.replaceAll("\\s+", " ") : file + ": psql exited " + p.exitValue(), false);
    }
}
