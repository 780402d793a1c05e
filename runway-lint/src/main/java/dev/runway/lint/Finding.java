package dev.runway.lint;

/**
 * One problem {@code check} found. Immutable.
 *
 * @param rule            stable rule id, e.g. {@code RW101} (see {@link RuleId})
 * @param severity        after runway.toml overrides
 * @param file            the migration file as given (relative path when loaded from a directory)
 * @param line            1-based line of the statement at fault (0 when the finding is about the whole file)
 * @param message         what is wrong, one sentence, naming the object
 * @param lock            the lock it takes and on what, e.g. {@code "SHARE on orders"}; null when none matters
 * @param table           the table concerned, or null
 * @param impact          an estimate from real sizes ("rewrites users, 12 GB, under ACCESS EXCLUSIVE"), or null
 * @param safeAlternative what to write instead
 */
public record Finding(String rule, Severity severity, String file, int line, String message, String lock, String table,
                      String impact, String safeAlternative) {

    /** {@code file:line}. */
    public String location() {
        return line > 0 ? file + ":" + line : file;
    }

    /** This finding with another severity. */
    public Finding withSeverity(Severity s) {
        return new Finding(rule, s, file, line, message, lock, table, impact, safeAlternative);
    }

    /** This finding with an impact text. */
    public Finding withImpact(String text) {
        return new Finding(rule, severity, file, line, message, lock, table, text, safeAlternative);
    }
}
