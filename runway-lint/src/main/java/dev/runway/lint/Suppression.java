package dev.runway.lint;

/**
 * A {@code -- runway:nolint RWnnn <reason>} comment.
 *
 * @param rule     the suppressed rule
 * @param reason   why, required
 * @param line     1-based line of the comment
 * @param fileWide true when it sits in the header (before {@code -- runway:up}): it then covers the whole file;
 *                 otherwise it covers the next statement
 */
public record Suppression(RuleId rule, String reason, int line, boolean fileWide) {
}
