package dev.runway.core.sql;

import java.util.List;

/**
 * What {@link SqlScanner#scan} found: the statements in order and every line comment in order.
 * Both lists are unmodifiable.
 */
public record ScanResult(List<SqlStatement> statements, List<LineComment> comments) {
}
