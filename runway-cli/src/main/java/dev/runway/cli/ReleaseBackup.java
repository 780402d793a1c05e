package dev.runway.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runway.backup.BackupInfo;
import dev.runway.backup.BackupLocation;
import dev.runway.backup.BackupResult;
import dev.runway.backup.Backups;
import dev.runway.backup.S3Config;
import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.cli.output.JsonMigrationRenderer;
import dev.runway.cli.output.Output;
import dev.runway.core.DatabaseUrl;
import dev.runway.core.RunwayException;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.Runway;
import dev.runway.migrate.dir.Migration;
import java.util.List;

/**
 * {@code release --backup}: validated before anything connects (location, S3 variables, {@code --keep}:
 * exit 2), taken under the migration lock once the pending list is known and the lint gate passed,
 * so it holds the database exactly as it was before this release migrated. A failed backup migrates
 * nothing. Loads runway-backup's S3 code (and the AWS SDK) only for an {@code s3://} location with
 * something pending.
 */
final class ReleaseBackup {
    private final BackupLocation location;
    private final S3Config s3;
    private final int keep;
    private final DatabaseUrl url;
    private final Output out;
    private final dev.runway.backup.PgTools tools;

    private ReleaseBackup(BackupLocation location, S3Config s3, int keep, DatabaseUrl url, Output out, dev.runway.backup.PgTools tools) {
        this.tools = tools;
        this.location = location;
        this.s3 = s3;
        this.keep = keep;
        this.url = url;
        this.out = out;
    }

    /** Null when no backup is asked for. */
    static ReleaseBackup configure(Settings s, Output out) {
        String where = s.get(Setting.BACKUP);
        int keep = s.integer(Setting.BACKUP_KEEP);
        if (keep < 0) {
            throw RunwayException.usage(s.source(Setting.BACKUP_KEEP) + ": " + keep + " is negative (0 keeps every backup)");
        }
        if (where == null) {
            if (keep > 0) {
                throw RunwayException.usage(s.source(Setting.BACKUP_KEEP) + " needs --backup (nothing to keep)");
            }
            return null;
        }
        BackupLocation location = BackupSettings.location(s, where, s.source(Setting.BACKUP));
        S3Config s3 = location.remote() ? BackupSettings.s3(s) : null;
        return new ReleaseBackup(location, s3, keep, s.migrationUrl(), out, BackupSettings.tools(s));
    }

    /** Takes the backup of the database before {@code pending} run; {@code applied}'s newest version names it. */
    void take(List<Migration> applied, MigrationListener listener) {
        String version = applied.isEmpty() ? "0" : applied.get(applied.size() - 1).version().text();
        BackupResult r;
        try (Backups b = Backups.open(location, () -> s3, tools, "--backup")) {
            r = b.backup(url, version, Runway.VERSION, keep);
        } catch (RunwayException e) {
            throw new RunwayException(e.code(), e.getMessage() + "; nothing was migrated", e);
        }
        BackupInfo i = r.backup();
        if (listener instanceof JsonMigrationRenderer) {
            ObjectNode n = ((JsonMigrationRenderer) listener).field("backup");
            n.put("location", i.location()).put("size", i.size()).put("sha256", i.sha256()).put("schema_version", i.schemaVersion())
                    .put("server_version", i.serverVersion()).put("duration_ms", r.elapsed().toMillis());
            r.pruned().forEach(p -> n.withArray("pruned").add(p.location()));
        } else if (!out.json()) {
            out.line("Backup written to " + i.location() + " (pg_dump -Fc, " + BackupCommand.size(i.size()) + ", sha256 "
                    + i.sha256().substring(0, 12) + ", " + Output.took(r.elapsed()) + ")");
            for (BackupInfo p : r.pruned()) {
                out.line("Backup deleted (--keep " + keep + "): " + p.location());
            }
        }
    }
}
