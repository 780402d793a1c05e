package dev.runway.cli;

import dev.runway.cli.output.JsonMigrationRenderer;
import dev.runway.cli.output.Output;
import dev.runway.cli.output.ProgressLine;
import dev.runway.cli.output.TextMigrationRenderer;
import dev.runway.core.RunwayException;
import dev.runway.migrate.MigrateResult;
import dev.runway.migrate.MigrationListener;
import dev.runway.migrate.Runway;
import java.time.Duration;
import java.util.function.Function;

/**
 * Runs one engine call with the right renderer, the SIGINT/SIGTERM handling ({@link Interrupts}: the
 * first stops at the next safe point and releases the lock; a second one exits at once) and the JSON
 * error document.
 */
final class MigrationRun {
    private MigrationRun() {
    }

    /** @param grace how long a statement may run on after SIGINT/SIGTERM before it is cancelled */
    static int run(Output out, Runway runway, Duration grace, String from, Function<MigrationListener, MigrateResult> call) {
        Interrupts.install(runway, out, grace);
        if (out.json()) {
            JsonMigrationRenderer json = new JsonMigrationRenderer();
            try {
                MigrateResult r = call.apply(json);
                out.printJson(json.document(r, null), 0);
                return 0;
            } catch (RunwayException e) {
                out.printJson(json.document(null, e), e.code().exitCode());
                throw new ReportedException(e.code().exitCode(), e);
            }
        }
        try (TextMigrationRenderer text = new TextMigrationRenderer(out, from, ProgressLine.wanted())) {
            MigrateResult r = call.apply(text);
            text.summary(r);
            return 0;
        }
    }
}
