package dev.runway.lint;

import dev.runway.core.sql.SqlStatement;
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
 */
public record CheckedMigration(String version, String name, String file, List<SqlStatement> up, List<SqlStatement> down, String downFile,
                               boolean transactional, boolean downTransactional, boolean lockTimeout,
                               List<Suppression> suppressions) {
    public CheckedMigration {
        up = List.copyOf(up);
        down = down == null ? null : List.copyOf(down);
        suppressions = List.copyOf(suppressions);
    }

    /** True when {@code rule} is suppressed for the statement starting at {@code stmtLine} (0 = file level). */
    public boolean suppressed(RuleId rule, int stmtLine) {
        for (Suppression s : suppressions) {
            if (s.rule() != rule) {
                continue;
            }
            if (s.fileWide() || stmtLine == 0 || s.line() < stmtLine && nextStatementLine(s.line()) == stmtLine) {
                return true;
            }
        }
        return false;
    }

    /** Line of the first statement (up or down) starting after {@code line}, or -1. */
    private int nextStatementLine(int line) {
        int best = -1;
        for (List<SqlStatement> l : down == null ? List.of(up) : List.of(up, down)) {
            for (SqlStatement s : l) {
                if (s.line() > line && (best < 0 || s.line() < best)) {
                    best = s.line();
                }
            }
        }
        return best;
    }
}
