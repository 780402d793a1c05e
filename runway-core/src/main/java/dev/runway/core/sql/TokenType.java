package dev.runway.core.sql;

/** The kinds of significant token {@link SqlScanner} produces. Comments and whitespace are not tokens. */
public enum TokenType {
    /** A keyword or unquoted identifier, text as written (not case-folded). */
    WORD,
    /** {@code "..."} or {@code U&"..."}, quotes included. */
    QUOTED_IDENT,
    /** {@code '...'}, {@code E'...'}, {@code U&'...'}, {@code B'...'}, {@code X'...'}, {@code N'...'}, quotes included. */
    STRING,
    /** A whole {@code $tag$...$tag$} string, delimiters included. */
    DOLLAR_STRING,
    /** A numeric literal: {@code 42}, {@code 1.5e3}, {@code .5}, {@code 0x1F}, {@code 1_000}. */
    NUMBER,
    /** An operator such as {@code =}, {@code <>}, {@code ->>}, {@code ?|}, {@code :=}; also any character SQL does not use. */
    OPERATOR,
    /** {@code ( ) , . [ ] : ::}, and {@code ;} when it sits inside parentheses or a {@code BEGIN ATOMIC} body. */
    PUNCT,
    /** A positional parameter: {@code $1}. */
    PARAM
}
