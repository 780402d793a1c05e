package dev.runway.cli;

import dev.runway.backfill.BackfillCheckpoint;
import dev.runway.backfill.Backfiller;
import dev.runway.cli.config.Settings;
import dev.runway.core.pg.PgSession;
import dev.runway.migrate.MigrationState;
import dev.runway.migrate.RunwayConfig;
import dev.runway.migrate.StatusResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** The backfill checkpoints {@code data status} shows next to partially applied data migrations. */
final class BackfillStatus {
    private BackfillStatus() {
    }

    static Map<String, BackfillCheckpoint> read(Settings s, StatusResult r) {
        if (r.migrations().stream().noneMatch(m -> m.state() == MigrationState.PARTIAL || m.state() == MigrationState.FAILED)) {
            return Map.of(); // only a running or failed backfill has progress worth showing; keep the common path to one connection
        }
        RunwayConfig config = s.engine().build();
        try (Connection c = PgSession.connect(config.url(), config.applicationName())) {
            return Backfiller.readCheckpoints(c, config.schema(), config.table());
        } catch (SQLException e) {
            throw PgSession.unreachable(config.url(), e);
        }
    }
}
