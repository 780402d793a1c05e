package dev.runway.lint.internal;

import dev.runway.lint.RuleId;

/**
 * A {@code -- runway:nolint RWnnn <reason>} comment.
 *
 * @param rule      the suppressed rule
 * @param reason    why, required
 * @param line      1-based line of the comment (in the down file when it covers a statement there)
 * @param fileWide  true when it sits in the header (before {@code -- runway:up}): it then covers the whole file;
 *                  otherwise it covers the statement right after it
 * @param down      when not file-wide: true when that statement is in the down section
 * @param statement when not file-wide: the index of that statement in its section, or -1 when no statement
 *                  follows (possible in a plain file only; it then covers only findings about the whole file)
 */
public record Suppression(RuleId rule, String reason, int line, boolean fileWide, boolean down, int statement) {

    /** A header nolint, covering the whole file. */
    public static Suppression fileWide(RuleId rule, String reason, int line) {
        return new Suppression(rule, reason, line, true, false, -1);
    }

    /** True when it covers statement {@code index} of the up ({@code down} false) or down section. */
    public boolean covers(boolean down, int index) {
        return fileWide || index >= 0 && this.down == down && statement == index;
    }
}
