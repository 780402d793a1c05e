package dev.runway.migrate.dir.internal;

import dev.runway.core.RunwayException;
import dev.runway.core.sql.SqlStatement;
import dev.runway.migrate.dir.Directives;
import dev.runway.migrate.dir.TransactionMode;
import java.util.List;

/**
 * Decides how a section (up or down) runs.
 * <ol>
 *   <li>{@code -- runway:transaction none} → NONE.</li>
 *   <li>Some statements cannot run in a transaction block ({@link SqlStatement#nonTransactional()}):
 *       NONE when every other statement is a session setting ({@code SET}, {@code RESET}, which need
 *       no atomicity); otherwise an error naming both lines, since running the rest outside a
 *       transaction would silently lose atomicity.</li>
 *   <li>Otherwise TRANSACTIONAL, and then {@code BEGIN}/{@code COMMIT}/... in the file are an error:
 *       they would end Runway's own transaction half-way.</li>
 * </ol>
 */
public final class TransactionModes {
    private TransactionModes() {
    }

    public static TransactionMode decide(List<SqlStatement> statements, Directives directives, String where) {
        if (directives.transaction() == TransactionMode.NONE) {
            return TransactionMode.NONE;
        }
        SqlStatement nonTx = null;
        SqlStatement tx = null;
        for (SqlStatement s : statements) {
            if (s.nonTransactional()) {
                nonTx = nonTx == null ? s : nonTx;
            } else if (!s.sessionSetting()) {
                tx = tx == null ? s : tx;
            }
        }
        if (nonTx != null) {
            if (tx == null) {
                return TransactionMode.NONE;
            }
            throw RunwayException.usage(where + ":" + nonTx.line() + ": " + nonTx.nonTransactionalReason()
                    + " cannot run in a transaction, but line " + tx.line() + " (" + label(tx) + ") needs one; "
                    + "split the file or add '-- runway:transaction none'");
        }
        for (SqlStatement s : statements) {
            if (s.transactionControl()) {
                throw RunwayException.usage(where + ":" + s.line() + ": " + label(s) + ": Runway runs each migration in its "
                        + "own transaction; remove BEGIN/COMMIT or use '-- runway:transaction none'");
            }
        }
        return TransactionMode.TRANSACTIONAL;
    }

    private static String label(SqlStatement s) {
        String k = s.keyword();
        return k.isEmpty() ? s.tokens().get(0).text() : k;
    }
}
