package dev.runway.cli.output;

import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.MigrationListener.Direction;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.TransactionMode;
import java.nio.file.Path;
import java.util.List;

/** What a dry run shows for one migration: the file holding the section, how it would run, its statements. */
final class DryRunPlan {
    private DryRunPlan() {
    }

    /** One migration of a dry run. */
    record Step(String file, TransactionMode mode, List<SqlStatement> statements) {
        /** "one transaction" or "no transaction (statement by statement)". */
        String label() {
            return mode == TransactionMode.NONE ? "no transaction (statement by statement)" : "one transaction";
        }

        /** "transactional" or "none", as the directive writes it. */
        String json() {
            return mode == TransactionMode.NONE ? "none" : "transactional";
        }
    }

    static Step step(Migration m, Direction d) {
        if (d == Direction.UP) {
            return new Step(m.displayName(), m.transactionMode(), m.up());
        }
        Path f = m.downFile() != null ? m.downFile() : m.file();
        String name = f.getFileName().toString();
        if (name.equals("down.sql") && f.getParent() != null && f.getParent().getFileName() != null) {
            name = f.getParent().getFileName() + "/" + name; // the folder layout: <version>_<name>/down.sql
        }
        return new Step(name, m.downTransactionMode(), m.down() == null ? List.of() : m.down());
    }
}
