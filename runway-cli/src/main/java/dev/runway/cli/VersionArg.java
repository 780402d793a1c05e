package dev.runway.cli;

import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.MigrationVersion;

/** Parses a version given on the command line, naming the flag in the error. */
final class VersionArg {
    private VersionArg() {
    }

    static MigrationVersion parse(String text, String flag) {
        try {
            return MigrationVersion.parse(text);
        } catch (RuntimeException e) {
            throw RunwayException.usage(flag + ": '" + text + "' is not a version (digits, optionally dotted: 20250301120000, 1.2)");
        }
    }
}
