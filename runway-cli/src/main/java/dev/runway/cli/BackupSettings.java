package dev.runway.cli;

import dev.runway.backup.BackupLocation;
import dev.runway.backup.Backups;
import dev.runway.backup.PgTools;
import dev.runway.backup.S3Config;
import dev.runway.cli.config.Setting;
import dev.runway.cli.config.Settings;
import dev.runway.core.RunwayException;

/** Backup locations and S3 configuration from the {@link Setting} registry (flags &gt; environment &gt; runway.toml). */
final class BackupSettings {
    private BackupSettings() {
    }

    /** The location {@code text} names ({@code source}: where it came from); other schemes are refused (exit 2). */
    static BackupLocation location(Settings s, String text, String source) {
        return Backups.parse(text, source, s.env());
    }

    /** The S3 configuration; USAGE naming every missing variable or the bad value's source. */
    static S3Config s3(Settings s) {
        return S3Config.builder()
                .accessKeyId(s.get(Setting.S3_ACCESS_KEY_ID), source(s, Setting.S3_ACCESS_KEY_ID))
                .secretAccessKey(s.get(Setting.S3_SECRET_ACCESS_KEY), source(s, Setting.S3_SECRET_ACCESS_KEY))
                .region(s.get(Setting.S3_REGION), source(s, Setting.S3_REGION))
                .endpoint(s.get(Setting.S3_ENDPOINT), source(s, Setting.S3_ENDPOINT))
                .pathStyle(s.get(Setting.S3_PATH_STYLE), source(s, Setting.S3_PATH_STYLE))
                .partSize(mib(s))
                .uploads(s.integer(Setting.S3_UPLOADS))
                .build();
    }

    private static int mib(Settings s) {
        int mib = s.integer(Setting.S3_PART_SIZE);
        if (mib < 5 || mib > 1024) {
            throw RunwayException.usage(s.source(Setting.S3_PART_SIZE) + ": " + mib + " MiB is not from 5 to 1024");
        }
        return mib << 20;
    }

    /** A missing value is named by its environment variable (what Fly sets); a given one by where it came from. */
    private static String source(Settings s, Setting k) {
        return s.get(k) == null ? k.env() : s.source(k);
    }

    static PgTools tools(Settings s) {
        return PgTools.fromEnvironment(s.env());
    }
}
