package dev.runway.core.sql;

/**
 * One significant token of a script.
 *
 * @param type   what kind of token
 * @param text   the exact text, quotes and delimiters included
 * @param line   1-based line of its first character in the file
 * @param offset char offset of its first character in the scanned text
 */
public record Token(TokenType type, String text, int line, int offset) {
    /** True for a {@link TokenType#WORD} equal to {@code word}, ignoring case. */
    public boolean isWord(String word) {
        return type == TokenType.WORD && text.equalsIgnoreCase(word);
    }

    /** True for a {@link TokenType#PUNCT} or {@link TokenType#OPERATOR} with exactly this text. */
    public boolean is(String symbol) {
        return (type == TokenType.PUNCT || type == TokenType.OPERATOR) && text.equals(symbol);
    }
}
