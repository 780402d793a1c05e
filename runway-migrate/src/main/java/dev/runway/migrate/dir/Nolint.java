package dev.runway.migrate.dir;

/**
 * A {@code -- runway:nolint RW101 reason...} directive: the file opts out of one lint rule, saying why.
 *
 * @param rule   the rule id, {@code RW} and three digits
 * @param reason why, never blank
 * @param line   1-based line of the directive
 */
public record Nolint(String rule, String reason, int line) {
}
