package dev.runway.core.sql;

/** Character classes of PostgreSQL's lexer (src/backend/parser/scan.l). */
final class CharClass {
    private CharClass() {
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isHexOrUnderscore(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '_';
    }

    /** Letters, underscore and any non-ASCII character (the server treats high-bit bytes as letters). */
    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= 0x80 && c != '\uFEFF');
    }

    static boolean isIdentCont(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    static boolean isDollarTagStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    static boolean isDollarTagCont(char c) {
        return isDollarTagStart(c) || isDigit(c);
    }

    /** The characters operators are made of. */
    static boolean isOpChar(char c) {
        return switch (c) {
            case '+', '-', '*', '/', '<', '>', '=', '~', '!', '@', '#', '%', '^', '&', '|', '`', '?' -> true;
            default -> false;
        };
    }
}
