package dev.runway.backup.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a backup: {@code <db>-<UTC time>-v<schema version>.dump}, e.g.
 * {@code app-20250301T120000Z-v20250301115900.dump}, and its checksum companion {@code <name>.sha256}
 * (the {@code sha256sum} format, so {@code sha256sum -c} verifies a downloaded copy).
 *
 * @param database      the database name with characters other than {@code A-Za-z0-9_.} replaced by '_'
 * @param createdAt     to the second
 * @param schemaVersion digits ({@code 0} when nothing was applied)
 */
public record BackupName(String database, Instant createdAt, String schemaVersion) {
    public static final String SUFFIX = ".dump";
    public static final String CHECKSUM_SUFFIX = ".sha256";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern FORM = Pattern.compile("(.+)-(\\d{8}T\\d{6}Z)-v(\\d+)\\.dump");

    public static BackupName of(String database, Instant createdAt, String schemaVersion) {
        return new BackupName(database.replaceAll("[^A-Za-z0-9_.]", "_"), createdAt.truncatedTo(ChronoUnit.SECONDS),
                schemaVersion == null ? "0" : schemaVersion);
    }

    /** The name parsed, or null when {@code fileName} is not a backup's name. */
    public static BackupName parse(String fileName) {
        Matcher m = FORM.matcher(fileName);
        if (!m.matches()) {
            return null;
        }
        return new BackupName(m.group(1), TIME.parse(m.group(2), Instant::from), m.group(3));
    }

    @Override
    public String toString() {
        return database + "-" + TIME.format(createdAt) + "-v" + schemaVersion + SUFFIX;
    }

    /** The {@code sha256sum} line for this backup. */
    public String checksumLine(String sha256) {
        return sha256 + "  " + this + "\n";
    }

    /** The hex digest in a {@code sha256sum} line, or null when it is not one. */
    public static String parseChecksum(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        return t.length() >= 64 && t.substring(0, 64).matches("[0-9a-f]{64}") ? t.substring(0, 64) : null;
    }
}
