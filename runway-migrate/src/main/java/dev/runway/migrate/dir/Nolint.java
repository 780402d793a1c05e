package dev.runway.migrate.dir;

/**
 * A {@code -- runway:nolint RW101 reason...} directive: the migration opts out of one lint rule, saying why.
 * In the header it covers the whole migration; inside a section, the statement right after it
 * ({@link Migration#upNolint()}, {@link Migration#downNolint()}).
 *
 * @param rule   the rule id, {@code RW} and three digits
 * @param reason why, never blank
 * @param line   1-based line of the directive
 */
public record Nolint(String rule, String reason, int line) {
}
