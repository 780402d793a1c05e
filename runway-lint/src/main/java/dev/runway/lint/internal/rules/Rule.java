package dev.runway.lint.internal.rules;

/**
 * One family of static rules. A rule looks at one statement (a top-level one, or one found inside a
 * {@code DO} body or {@code EXECUTE} string) and the migration's state so far, and emits
 * {@link Candidate}s through the context. Rules are stateless; all state lives in {@link Ctx}.
 */
interface Rule {
    void check(Stmt s, Ctx c);
}
