/**
 * The SQL scanner: splits PostgreSQL scripts into statements exactly where {@code psql} would,
 * keeps significant tokens (for the linter) and line comments (for markers, directives and
 * suppressions), and classifies each statement: its command keyword, whether it can run inside a
 * transaction block, whether it is transaction control or changes session state. Entry point:
 * {@link dev.runway.core.sql.SqlScanner#scan(String, String)}.
 */
package dev.runway.core.sql;
