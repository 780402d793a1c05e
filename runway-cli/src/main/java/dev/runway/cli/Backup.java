package dev.runway.cli;

import dev.runway.core.DatabaseUrl;
import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code release --backup DIR}: {@code pg_dump -Fc} of the database before migrating, into a file
 * only its owner can read (0600, directory 0700). The password reaches pg_dump through
 * {@code PGPASSWORD} in its environment, never its arguments (which {@code ps} shows).
 */
final class Backup {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

    private Backup() {
    }

    /** Dumps {@code url} into {@code dir}; returns the file. {@code serverMajor} guards against an older pg_dump. */
    static Path dump(DatabaseUrl url, Path dir, int serverMajor, Map<String, String> env) {
        String pgDump = env.getOrDefault("RUNWAY_PG_DUMP", "pg_dump");
        int major = pgDumpMajor(pgDump);
        if (major < serverMajor) {
            throw RunwayException.usage("--backup: " + pgDump + " is version " + major + ", older than the server ("
                    + serverMajor + "), and cannot dump it; install postgresql-client-" + serverMajor
                    + " or point RUNWAY_PG_DUMP at a newer pg_dump");
        }
        try {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException | IOException e) {
                // not ours to change (an existing shared directory): the file itself is 0600
            }
            String ts = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
            Path file = dir.resolve(url.database() + "-" + ts + ".dump");
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of(pgDump, "-Fc", "--no-password", "-f", file.toString(),
                    "-h", url.host(), "-p", String.valueOf(url.port()), "-d", url.database())));
            if (url.user() != null) {
                pb.command().add("-U");
                pb.command().add(url.user());
            }
            String pw = url.properties().getProperty("password");
            if (pw != null) {
                pb.environment().put("PGPASSWORD", pw);
            }
            pb.environment().putAll(url.libpqTlsEnvironment());
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(6, TimeUnit.HOURS) || p.exitValue() != 0) {
                Files.deleteIfExists(file);
                String line = output.isEmpty() ? "exit " + p.exitValue() : output.lines().findFirst().orElse("");
                throw new RunwayException(ErrorCode.TEMPORARY, "--backup: pg_dump failed: " + mask(line, pw)
                        + "; nothing was migrated");
            }
            return file;
        } catch (IOException e) {
            throw RunwayException.usage("--backup " + dir + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunwayException(ErrorCode.TEMPORARY, "--backup: interrupted; nothing was migrated", e);
        }
    }

    static int pgDumpMajor(String pgDump) {
        try {
            Process p = new ProcessBuilder(pgDump, "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher m = VERSION.matcher(v);
            if (!m.find()) {
                throw RunwayException.usage("--backup: cannot tell the version of " + pgDump + " (it printed '" + v.trim() + "')");
            }
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw RunwayException.usage("--backup: pg_dump not found (" + pgDump + "); install postgresql-client or set RUNWAY_PG_DUMP");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunwayException(ErrorCode.TEMPORARY, "interrupted", e);
        }
    }

    private static String mask(String s, String pw) {
        return pw == null || pw.isEmpty() ? s : s.replace(pw, "***");
    }
}
