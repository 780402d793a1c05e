package dev.runway.lint.internal.rules;

import dev.runway.lint.RuleId;

/**
 * A finding as the static rules see it, before the trace confirms or refutes it and before
 * suppressions and severities apply. Immutable.
 *
 * @param rule      the rule
 * @param stmtIndex index of the top-level up statement (a DO block's inner statements carry the DO's index)
 * @param line      1-based line of the (inner) statement
 * @param table     unqualified, case-folded table name, or null
 * @param lock      lock text, e.g. "SHARE on orders", or null
 * @param message   what is wrong
 * @param evidence  what the trace must observe on {@code table} to confirm it
 */
public record Candidate(RuleId rule, int stmtIndex, int line, String table, String lock, String message, Evidence evidence) {

    /** What a dynamic trace can confirm. */
    public enum Evidence {
        /** Nothing to observe: the text alone decides (compatibility, hygiene, certain locks). */
        NONE,
        /** The table's relfilenode changes. */
        REWRITE,
        /** The table is sequentially scanned while a lock that blocks writes is held. */
        SCAN,
        /** A SHARE lock (a non-concurrent index build) is taken on the table. */
        SHARE_LOCK
    }
}
