/**
 * What {@code runway check} is made of and no other module uses: the static rules ({@code internal.rules}),
 * the trace on a scratch database ({@code internal.trace}), migration sources ({@code internal.source}) and
 * nolint comments. Not an API: it may change in any release. The API is {@code dev.runway.lint}
 * ({@link dev.runway.lint.Check}, {@link dev.runway.lint.LintConfig}, {@link dev.runway.lint.RuleId}, ...),
 * {@code dev.runway.lint.source} and {@code dev.runway.lint.report}.
 */
package dev.runway.lint.internal;
