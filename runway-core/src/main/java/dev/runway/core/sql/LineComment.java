package dev.runway.core.sql;

/**
 * A {@code --} comment found outside strings, quoted identifiers and block comments. Markers and
 * directives ({@code -- runway:up}) and suppressions ({@code -- runway:nolint}) are read from these.
 *
 * @param text        what follows {@code --}, stripped of surrounding whitespace
 * @param line        1-based line in the file
 * @param offset      char offset of the {@code --} in the scanned text
 * @param atLineStart true when only whitespace precedes it on its line
 */
public record LineComment(String text, int line, int offset, boolean atLineStart) {
}
