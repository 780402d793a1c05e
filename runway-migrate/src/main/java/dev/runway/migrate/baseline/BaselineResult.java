package dev.runway.migrate.baseline;

import dev.runway.migrate.dir.MigrationVersion;
import java.util.List;

/**
 * What {@code runway baseline} recorded. Immutable.
 *
 * @param version     the baseline: every migration at or below it counts as applied
 * @param from        the runner whose history was read, or null for {@code --version}
 * @param mapped      how many of that runner's applied rows were matched to files of the directory
 * @param repeatables repeatable migrations recorded as applied (their file is what that runner last ran)
 * @param notes       things said about the adoption (rows that need no file, repeatables that will run again)
 */
public record BaselineResult(MigrationVersion version, BaselineSource from, int mapped, List<String> repeatables, List<String> notes) {
    public BaselineResult {
        repeatables = List.copyOf(repeatables);
        notes = List.copyOf(notes);
    }
}
