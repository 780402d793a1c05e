package dev.runway.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runway.backup.BackupInfo;
import dev.runway.backup.BackupLocation;
import dev.runway.backup.Backups;
import dev.runway.backup.RestoreResult;
import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.Output;
import dev.runway.core.DatabaseUrl;
import dev.runway.core.RunwayException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runway backup list|restore}: the backups {@code release --backup} took. */
@Command(name = "backup", description = "List and restore the backups release --backup takes.",
        subcommands = {BackupCommand.ListBackups.class, BackupCommand.Restore.class})
final class BackupCommand implements Runnable {
    @picocli.CommandLine.Mixin
    HelpOption help;
    /** The flags of list and restore: how to reach S3, and the output format. */
    static final Set<Setting> S3_SETTINGS = EnumSet.of(Setting.FORMAT, Setting.S3_ENDPOINT, Setting.S3_REGION,
            Setting.S3_ACCESS_KEY_ID, Setting.S3_PATH_STYLE, Setting.S3_PART_SIZE, Setting.S3_UPLOADS);

    @Override
    public void run() {
        throw RunwayException.usage("backup: give a subcommand: list or restore (see 'runway backup --help')");
    }

    @Command(name = "list", description = {"Backups at a location, newest first: name, time, schema",
            "version, size, server version, SHA-256. LOCATION: a directory, s3://BUCKET/PREFIX/ or s3; default: the backup",
            "setting (--backup's runway.toml key / RUNWAY_BACKUP)."})
    static final class ListBackups extends SettingsCommand {
        ListBackups() {
            super(S3_SETTINGS);
        }

        @Parameters(arity = "0..1", paramLabel = "LOCATION")
        String location;

        @Override
        public Integer call() {
            Settings s = common.settings(location == null ? Map.of() : Map.of(Setting.BACKUP, location));
            Output out = common.output(s);
            return reported(out, () -> {
                if (s.get(Setting.BACKUP) == null) {
                    throw RunwayException.usage("backup list: give a LOCATION (a directory, s3://BUCKET/PREFIX/ or s3)"
                            + " or set backup in runway.toml / RUNWAY_BACKUP");
                }
                BackupLocation where = BackupSettings.location(s, s.get(Setting.BACKUP), location != null ? "backup list" : s.source(Setting.BACKUP));
                List<BackupInfo> all;
                int incomplete;
                try (Backups b = Backups.open(where, () -> BackupSettings.s3(s), BackupSettings.tools(s), "backup list")) {
                    all = b.list();
                    incomplete = b.incompleteUploads();
                }
                print(out, where, all, incomplete);
                return 0;
            });
        }

        private static void print(Output out, BackupLocation where, List<BackupInfo> all, int incomplete) {
            if (out.json()) {
                ObjectNode root = Output.mapper().createObjectNode();
                root.put("location", where.toString()).put("incomplete_uploads", incomplete);
                ArrayNode a = root.putArray("backups");
                for (BackupInfo b : all) {
                    a.addObject().put("name", b.name()).put("location", b.location()).put("database", b.database())
                            .put("created_at", b.createdAt().toString()).put("schema_version", b.schemaVersion()).put("size", b.size())
                            .put("sha256", b.sha256()).put("server_version", b.serverVersion()).put("runway_version", b.runwayVersion());
                }
                out.printJson(root, 0);
                return;
            }
            out.line(all.size() + " backup" + (all.size() == 1 ? "" : "s") + " at " + where + (all.isEmpty() ? "" : ", newest first:"));
            for (BackupInfo b : all) {
                out.line(String.format(Locale.ROOT, "  %-60s %s  v%-16s %9s  server %-6s %s", b.location(), b.createdAt(),
                        b.schemaVersion(), size(b.size()), b.serverVersion() == null ? "?" : b.serverVersion(),
                        b.sha256() == null ? "no .sha256" : "sha256 " + b.sha256().substring(0, 12)));
            }
            if (incomplete > 0) {
                out.line(incomplete + " incomplete upload" + (incomplete == 1 ? "" : "s") + " (killed runs; invisible, aborted by the"
                        + " next backup once a day old)");
            }
        }
    }

    @Command(name = "restore", description = {"Restore a backup into an empty database with pg_restore,",
            "in one transaction (all or nothing), after checking its SHA-256. BACKUP: s3://BUCKET/KEY or a file.",
            "Refuses a database that is not empty (exit 2) unless --clean; a damaged backup exits 4 and changes nothing."})
    static final class Restore extends SettingsCommand {
        Restore() {
            super(S3_SETTINGS);
        }

        @Parameters(index = "0", paramLabel = "BACKUP")
        String backup;
        @Option(names = "--to", required = true, paramLabel = "URL", description = "The database to restore into (postgres://...).")
        String to;
        @Option(names = "--clean", description = "Drop the objects the backup contains before restoring them (pg_restore --clean --if-exists).")
        boolean clean;
        @Option(names = "--no-owner", description = "Do not restore ownership and privileges (for a server without the original roles).")
        boolean noOwner;

        @Override
        public Integer call() {
            Settings s = common.settings();
            Output out = common.output(s);
            return reported(out, () -> {
                DatabaseUrl target = DatabaseUrl.parse(to, "--to");
                RestoreResult r = Backups.restore(backup, target, clean, noOwner, () -> BackupSettings.s3(s), BackupSettings.tools(s));
                if (out.json()) {
                    ObjectNode root = Output.mapper().createObjectNode();
                    root.putObject("restored").put("backup", r.source()).put("database", r.database()).put("bytes", r.bytes())
                            .put("sha256_verified", r.verified()).put("duration_ms", r.elapsed().toMillis());
                    out.printJson(root, 0);
                } else {
                    out.line("Restored " + r.source() + " into " + target + " (" + size(r.bytes()) + ", "
                            + (r.verified() ? "SHA-256 verified" : "no .sha256 to verify") + ", " + Output.took(r.elapsed()) + ")");
                }
                return 0;
            });
        }
    }

    /** Runs {@code body}; a failure reaches Main.report, which prints the one line (and, under --format json, the one document). */
    static int reported(Output out, java.util.function.Supplier<Integer> body) {
        return body.get();
    }

    /** {@code 812 B}, {@code 4.2 MiB}, {@code 1.3 GiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

}
