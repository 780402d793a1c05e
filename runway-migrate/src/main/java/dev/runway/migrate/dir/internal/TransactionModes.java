package dev.runway.migrate.dir.internal;

import dev.runway.core.RunwayException;
import dev.runway.core.sql.SqlStatement;
import dev.runway.core.sql.Token;
import dev.runway.migrate.dir.Directives;
import dev.runway.migrate.dir.TransactionMode;
import dev.runway.migrate.dir.TransactionPlan;
import dev.runway.migrate.dir.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides how a section (up or down) runs, and splits a file that manages its own transactions into
 * units. {@code check} uses the same decision, so the linter and the executor agree.
 *
 * <p>Without explicit transaction control ({@code BEGIN}, {@code COMMIT}, {@code ROLLBACK}, ...):
 * <ol>
 *   <li>{@code -- runway:transaction none} → NONE.</li>
 *   <li>Some statements cannot run in a transaction block ({@link SqlStatement#nonTransactional()}):
 *       NONE when every other statement is a session setting ({@code SET}, {@code RESET}, which need
 *       no atomicity); otherwise an error naming both lines, since running the rest outside a
 *       transaction would silently lose atomicity.</li>
 *   <li>Otherwise TRANSACTIONAL; {@code SAVEPOINT}, {@code RELEASE} and {@code ROLLBACK TO} then run inside
 *       Runway's transaction as written.</li>
 * </ol>
 *
 * <p>With explicit control, the file runs as its author meant:
 * <ul>
 *   <li>exactly one {@code BEGIN ... COMMIT} block, with only session settings outside it: TRANSACTIONAL,
 *       and that block is Runway's transaction (the history row is written inside it);</li>
 *   <li>anything else (several blocks, statements between blocks, a block that ends in {@code ROLLBACK},
 *       {@code transaction none}): EXPLICIT, unit by unit. A leading {@code COMMIT} with nothing open
 *       ends the transaction another runner would have opened around the file (the sql-migrate
 *       {@code COMMIT; ... BEGIN;} escape): the statements before it are one block that Runway opens, and
 *       a {@code BEGIN} left open at the end is committed by Runway.</li>
 * </ul>
 * Unbalanced or unsupported control is a USAGE error naming {@code file:line}: a {@code BEGIN} never
 * committed, a {@code COMMIT} or {@code ROLLBACK} with nothing open (other than the leading escape), a
 * {@code BEGIN} inside a block, a {@code SAVEPOINT} outside one, a statement that cannot run in a transaction
 * block inside one, {@code PREPARE TRANSACTION}, {@code ... AND CHAIN}.
 */
public final class TransactionModes {
    /** What a statement does to the transaction state. */
    enum Control {
        OTHER, BEGIN, COMMIT, ROLLBACK, SAVEPOINT, UNSUPPORTED
    }

    private TransactionModes() {
    }

    /** The mode only (see {@link #decideWithUnits}). */
    public static TransactionMode decide(List<SqlStatement> statements, Directives directives, String where) {
        return decideWithUnits(statements, directives.transaction() == TransactionMode.NONE, where).mode();
    }

    /** See {@link TransactionPlan#of}. */
    public static TransactionPlan decideWithUnits(List<SqlStatement> statements, boolean none, String where) {
        boolean explicit = false;
        for (SqlStatement s : statements) {
            Control k = control(s);
            if (k == Control.UNSUPPORTED) {
                throw RunwayException.usage(where + ":" + s.line() + ": " + unsupported(s));
            }
            explicit |= k == Control.BEGIN || k == Control.COMMIT || k == Control.ROLLBACK;
        }
        if (explicit) {
            return explicitUnits(statements, none, where);
        }
        if (none) {
            return statementUnits(statements, where);
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
                return statementUnits(statements, where);
            }
            throw RunwayException.usage(where + ":" + nonTx.line() + ": " + nonTx.nonTransactionalReason()
                    + " cannot run in a transaction, but line " + tx.line() + " (" + label(tx) + ") needs one; "
                    + "split the file or add '-- runway:transaction none'");
        }
        return new TransactionPlan(TransactionMode.TRANSACTIONAL, List.of());
    }

    /** NONE: every statement its own unit; a savepoint there would fail in PostgreSQL. */
    private static TransactionPlan statementUnits(List<SqlStatement> statements, String where) {
        List<Unit> units = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            if (control(statements.get(i)) == Control.SAVEPOINT) {
                throw outsideBlock(statements.get(i), where);
            }
            units.add(Unit.statement(i));
        }
        return new TransactionPlan(TransactionMode.NONE, units);
    }

    private static TransactionPlan explicitUnits(List<SqlStatement> statements, boolean none, String where) {
        List<Unit> units = new ArrayList<>();
        int open = -1;
        boolean fileBegan = false;
        boolean escape = false;
        for (SqlStatement s : statements) {
            Control k = control(s);
            if (k == Control.BEGIN || k == Control.ROLLBACK) {
                break;
            }
            if (k == Control.COMMIT) {
                escape = true; // the first control is a COMMIT: it ends the transaction another runner opened
                open = 0;
                break;
            }
        }
        for (int i = 0; i < statements.size(); i++) {
            SqlStatement s = statements.get(i);
            Control k = control(s);
            if (open < 0) {
                switch (k) {
                    case BEGIN:
                        open = i;
                        fileBegan = true;
                        break;
                    case COMMIT:
                    case ROLLBACK:
                        int last = lastBlockEnd(units);
                        throw RunwayException.usage(where + ":" + s.line() + ": " + label(s) + " with no transaction open"
                                + (last < 0 ? "" : " (the last block ended on line " + statements.get(last).line() + ")")
                                + "; remove it, or add the BEGIN it ends");
                    case SAVEPOINT:
                        throw outsideBlock(s, where);
                    default:
                        units.add(Unit.statement(i));
                        break;
                }
                continue;
            }
            int openLine = statements.get(open).line();
            switch (k) {
                case BEGIN:
                    throw RunwayException.usage(where + ":" + s.line() + ": " + label(s) + " inside the transaction block "
                            + (fileBegan ? "opened on line " + openLine : "that the leading COMMIT ends")
                            + " (PostgreSQL keeps one transaction and only warns); remove one of them");
                case COMMIT:
                case ROLLBACK:
                    units.add(new Unit(open, i + 1, true, fileBegan, true, k == Control.ROLLBACK));
                    open = -1;
                    fileBegan = false;
                    break;
                default:
                    if (s.nonTransactional()) {
                        throw RunwayException.usage(where + ":" + s.line() + ": " + s.nonTransactionalReason()
                                + " cannot run inside the transaction block " + (fileBegan ? "opened on line " + openLine
                                : "that the COMMIT on a later line ends") + "; move it outside the block");
                    }
                    break;
            }
        }
        if (open >= 0) {
            if (!(escape && fileBegan)) {
                throw RunwayException.usage(where + ":" + statements.get(open).line() + ": " + label(statements.get(open))
                        + " is never committed; end the block with COMMIT");
            }
            // the BEGIN that reopens the transaction the other runner commits after the file: Runway commits it
            units.add(new Unit(open, statements.size(), true, true, false, false));
        }
        if (!none && singleBlock(statements, units)) {
            return new TransactionPlan(TransactionMode.TRANSACTIONAL, units);
        }
        return new TransactionPlan(TransactionMode.EXPLICIT, units);
    }

    /** Exactly one BEGIN ... COMMIT block of the file, and only session settings outside it. */
    private static boolean singleBlock(List<SqlStatement> statements, List<Unit> units) {
        int blocks = 0;
        for (Unit u : units) {
            if (u.block()) {
                if (!u.fileBegins() || !u.fileEnds() || u.rollsBack()) {
                    return false;
                }
                blocks++;
            } else if (!statements.get(u.from()).sessionSetting()) {
                return false;
            }
        }
        return blocks == 1;
    }

    /** Index of the statement that ended the last block so far, or -1. */
    private static int lastBlockEnd(List<Unit> units) {
        for (int i = units.size() - 1; i >= 0; i--) {
            if (units.get(i).block()) {
                return units.get(i).to() - 1;
            }
        }
        return -1;
    }

    private static RunwayException outsideBlock(SqlStatement s, String where) {
        return RunwayException.usage(where + ":" + s.line() + ": " + label(s) + " outside a transaction block"
                + " (PostgreSQL refuses it there); put it between BEGIN and COMMIT");
    }

    /** What {@code s} does to the transaction state (only top-level tokens count: a DO body never does). */
    static Control control(SqlStatement s) {
        if (!s.transactionControl()) {
            return Control.OTHER;
        }
        switch (s.keyword()) {
            case "BEGIN":
            case "START TRANSACTION":
                return Control.BEGIN;
            case "COMMIT":
            case "END":
                return chains(s) ? Control.UNSUPPORTED : Control.COMMIT;
            case "ROLLBACK":
            case "ABORT":
                return chains(s) ? Control.UNSUPPORTED : Control.ROLLBACK;
            case "SAVEPOINT":
            case "RELEASE":
            case "ROLLBACK TO":
                return Control.SAVEPOINT;
            default:
                return Control.UNSUPPORTED; // PREPARE TRANSACTION, COMMIT PREPARED, ROLLBACK PREPARED
        }
    }

    /** {@code COMMIT AND CHAIN} / {@code ROLLBACK AND CHAIN} (not {@code AND NO CHAIN}). */
    private static boolean chains(SqlStatement s) {
        List<Token> t = s.tokens();
        for (int i = 1; i + 1 < t.size(); i++) {
            if (t.get(i).isWord("AND") && t.get(i + 1).isWord("CHAIN")) {
                return true;
            }
        }
        return false;
    }

    private static String unsupported(SqlStatement s) {
        if (chains(s)) {
            return label(s) + " AND CHAIN is not supported in a migration; end the block with " + label(s)
                    + " and start the next one with BEGIN";
        }
        return label(s) + " (two-phase commit) is not supported in a migration";
    }

    private static String label(SqlStatement s) {
        String k = s.keyword();
        return k.isEmpty() ? s.tokens().get(0).text() : k;
    }
}
