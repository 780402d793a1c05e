package dev.runway.migrate.baseline.internal;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Flyway's checksum of an SQL script: CRC32 over the UTF-8 bytes of each line without its line end
 * (lines end at LF, CR or CR LF, as {@code BufferedReader.readLine} splits them), a leading byte-order mark
 * dropped, as a signed 32-bit int. Used to tell whether a repeatable migration is still the one Flyway last
 * ran. Stateless.
 */
public final class FlywayChecksum {
    private FlywayChecksum() {
    }

    /**
     * True when {@code recorded} is Flyway's checksum of {@code file}: with its placeholders replaced (what
     * Flyway 13 sums for a repeatable migration, so that a changed value runs it again) or as written (earlier
     * Flyway versions). USAGE error when the file cannot be read.
     */
    public static boolean matches(java.nio.file.Path file, int recorded, dev.runway.migrate.dir.Placeholders placeholders) {
        String text;
        try {
            text = new String(java.nio.file.Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new dev.runway.core.RunwayException(dev.runway.core.ErrorCode.USAGE, file + ": cannot read file (" + e + ")", e);
        }
        return recorded == of(text)
                || recorded == of(placeholders.apply(text, file.toString(), file.getFileName().toString(), false));
    }

    public static int of(String text) {
        CRC32 crc = new CRC32();
        String t = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
        int start = 0;
        int i = 0;
        while (i < t.length()) {
            char ch = t.charAt(i);
            if (ch == '\n' || ch == '\r') {
                crc.update(t.substring(start, i).getBytes(StandardCharsets.UTF_8));
                i += ch == '\r' && i + 1 < t.length() && t.charAt(i + 1) == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < t.length()) {
            crc.update(t.substring(start).getBytes(StandardCharsets.UTF_8));
        }
        return (int) crc.getValue();
    }
}
