package dev.runway.lint;

import dev.runway.core.sql.SqlStatement;
import dev.runway.lint.internal.Suppression;
import dev.runway.migrate.dir.Unit;
import java.util.List;

/**
 * One migration as {@code check} sees it, whatever loaded it (the migration directory, a plain SQL
 * file, a test). Immutable.
 *
 * @param version           its version as the history table writes it, or null when unknown (a plain file without one)
 * @param name              display name ("20250301120000_add_orders_status")
 * @param file              path as shown in findings
 * @param up                statements of the up section, in order
 * @param down              statements of the down section, or null when there is none
 * @param downFile          the file holding the down section (the same file for the native format; the
 *                          {@code .down.sql} or Flyway {@code U} file otherwise), or null when there is none
 * @param transactional     true when Runway runs the up section in one transaction
 * @param downTransactional true when Runway runs the down section in one transaction
 * @param lockTimeout       true when the file sets {@code -- runway:lock-timeout}
 * @param suppressions      its nolint comments
 * @param units             how Runway splits the up section when the file manages its own transactions (the file's
 *                          blocks and the statements outside them, see {@link Unit}); empty when it does not, or when
 *                          it was read as plain SQL and not (yet) checked for Runway mode
 */
public record CheckedMigration(String version, String name, String file, List<SqlStatement> up, List<SqlStatement> down, String downFile,
                               boolean transactional, boolean downTransactional, boolean lockTimeout,
                               List<Suppression> suppressions, List<Unit> units) {
    public CheckedMigration {
        up = List.copyOf(up);
        down = down == null ? null : List.copyOf(down);
        suppressions = List.copyOf(suppressions);
        units = List.copyOf(units);
    }

    /** The same migration with {@code transactional} and {@code units} as Runway would run it. */
    public CheckedMigration withUnits(boolean transactional, List<Unit> units) {
        return new CheckedMigration(version, name, file, up, down, downFile, transactional, downTransactional, lockTimeout,
                suppressions, units);
    }

    /**
     * True when Runway runs the up section unit by unit because the file manages its own transactions
     * (several blocks, statements between them, a {@code COMMIT; ... BEGIN;} escape).
     */
    public boolean unitByUnit() {
        return !transactional && units.stream().anyMatch(Unit::block);
    }

    /** True when the up section starts inside a transaction: Runway's own, or the one a leading COMMIT ends. */
    public boolean startsInTransaction() {
        if (units.isEmpty()) {
            return transactional;
        }
        Unit first = units.get(0);
        return first.block() && !first.fileBegins();
    }

    /**
     * True when {@code rule} is suppressed for statement {@code index} of the up ({@code down} false) or
     * down section: by a header nolint, or by one right before that statement. An index of no statement
     * (-1) matches header nolints only.
     */
    public boolean suppressed(RuleId rule, boolean down, int index) {
        for (Suppression s : suppressions) {
            if (s.rule() == rule && s.covers(down, index)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code rule} is suppressed for a finding about the whole file (no statement): any nolint of it does. */
    public boolean suppressedForFile(RuleId rule) {
        for (Suppression s : suppressions) {
            if (s.rule() == rule) {
                return true;
            }
        }
        return false;
    }

    /** Index of the statement of the up ({@code down} false) or down section that starts on {@code line}, or -1. */
    public int statementAt(boolean down, int line) {
        List<SqlStatement> l = down ? this.down : up;
        for (int i = 0; l != null && i < l.size(); i++) {
            if (l.get(i).line() == line) {
                return i;
            }
        }
        return -1;
    }
}
