package dev.runway.lint.internal.rules;

import dev.runway.core.sql.Token;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A column definition in CREATE TABLE or ADD COLUMN: name, type and the constraint clauses that
 * matter to the rules. Parsed from tokens [from, to).
 */
record ColumnDef(String name, String type, boolean notNull, boolean primaryKey, boolean unique, boolean references,
                 boolean check, String defaultExpr, boolean identity, boolean generatedStored, boolean defaultNull,
                 List<Token> defaultTokens) {
    private static final Set<String> CLAUSES = Set.of("NOT", "NULL", "DEFAULT", "CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY",
            "REFERENCES", "GENERATED", "COLLATE", "DEFERRABLE", "INITIALLY", "STORAGE", "COMPRESSION");

    static ColumnDef parse(List<Token> t, int from, int to) {
        Tok.Name n = Tok.name(t, from);
        if (n == null) {
            return null;
        }
        int i = n.next();
        int typeStart = i;
        while (i < to && !isClause(t.get(i))) {
            i = t.get(i).is("(") ? Tok.skipParens(t, i) : i + 1;
        }
        String type = normalizeType(Tok.text(t, typeStart, i));
        boolean notNull = false;
        boolean pk = false;
        boolean unique = false;
        boolean refs = false;
        boolean check = false;
        boolean identity = false;
        boolean stored = false;
        String def = null;
        List<Token> defTokens = List.of();
        while (i < to) {
            Token k = t.get(i);
            if (Tok.words(t, i, "NOT", "NULL")) {
                notNull = true;
                i += 2;
            } else if (k.isWord("PRIMARY")) {
                pk = true;
                notNull = true;
                i++;
            } else if (k.isWord("UNIQUE")) {
                unique = true;
                i++;
            } else if (k.isWord("REFERENCES")) {
                refs = true;
                i++;
            } else if (k.isWord("CHECK")) {
                check = true;
                i++;
            } else if (k.isWord("GENERATED")) {
                int j = i + 1;
                while (j < to && !t.get(j).isWord("AS")) {
                    j++;
                }
                if (Tok.word(t, j + 1, "IDENTITY")) {
                    identity = true;
                } else {
                    stored = true;
                }
                i = j + 1;
            } else if (k.isWord("DEFAULT")) {
                int j = i + 1;
                while (j < to && !(isClause(t.get(j)) && !t.get(j).isWord("NULL"))) {
                    j = t.get(j).is("(") ? Tok.skipParens(t, j) : j + 1;
                }
                defTokens = t.subList(i + 1, j);
                def = Tok.text(t, i + 1, j);
                i = j;
            } else {
                i = k.is("(") ? Tok.skipParens(t, i) : i + 1;
            }
        }
        boolean defNull = def != null && def.equalsIgnoreCase("null");
        return new ColumnDef(n.name(), type, notNull, pk, unique, refs, check, def, identity, stored, defNull, defTokens);
    }

    private static boolean isClause(Token k) {
        return k.type() == dev.runway.core.sql.TokenType.WORD && CLAUSES.contains(k.text().toUpperCase(Locale.ROOT));
    }

    /** What {@code (small|big)?serial[248]?} matches, as a set: no regular expression to compile in a cold JVM. */
    private static final Set<String> SERIAL = Set.of("serial", "serial2", "serial4", "serial8", "smallserial", "smallserial2",
            "smallserial4", "smallserial8", "bigserial", "bigserial2", "bigserial4", "bigserial8");
    private static final Set<String> INT32 = Set.of("int", "int4", "integer", "smallint", "int2", "serial", "serial4", "smallserial",
            "serial2");
    /** The aliases folded, each applied to the result of the one before: the literal text a match starts with, pattern, replacement. */
    private static final String[] STARTS = {"character varying", "decimal", "timestamp without time zone", "timestamp with time zone",
        "double precision", "integer", "int4", "bigint", "pg_catalog."};
    /**
     * The regular expressions, compiled when first needed (a type with odd spacing, or an alias followed by a line
     * terminator): compiling them costs a cold JVM more than the rules that use them. Compiled once: String.matches
     * and replaceFirst compile their pattern on every call.
     */
    private static final class Patterns {
        static final Pattern SPACES = Pattern.compile("\\s+");
        static final Pattern[] ALIASES = {Pattern.compile("^character varying"), Pattern.compile("^decimal"),
            Pattern.compile("^timestamp without time zone"), Pattern.compile("^timestamp with time zone"), Pattern.compile("^double precision"),
            Pattern.compile("^integer$"), Pattern.compile("^int4$"), Pattern.compile("^bigint$"), Pattern.compile("^pg_catalog\\.")};
    }
    private static final String[] FOLDED = {"varchar", "numeric", "timestamp", "timestamptz", "float8", "int", "int", "int8", ""};
    /** Whether the pattern is the whole text ({@code $}-anchored) rather than a prefix. */
    private static final boolean[] WHOLE = {false, false, false, false, false, true, true, true, false};

    boolean serial() {
        return SERIAL.contains(type);
    }

    /** True for 32-bit (or smaller) integer types, serial included. */
    boolean int32() {
        return INT32.contains(type);
    }

    /** True when {@code \\s+} -> one space changes {@code t}: a whitespace other than a space, or two spaces in a row. */
    private static boolean needsSpacing(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\t' || c == '\n' || c == '\013' || c == '\f' || c == '\r' || c == ' ' && i + 1 < t.length() && t.charAt(i + 1) == ' ') {
                return true;
            }
        }
        return false;
    }

    /** Lower-case type with common aliases folded: "character varying(20)" -> "varchar(20)". */
    static String normalizeType(String raw) {
        String t = raw.toLowerCase(Locale.ROOT).trim();
        if (needsSpacing(t)) {
            t = Patterns.SPACES.matcher(t).replaceAll(" ");
        }
        for (int i = 0; i < STARTS.length; i++) {
            if (!t.startsWith(STARTS[i])) {
                continue;
            }
            if (!WHOLE[i]) {
                t = FOLDED[i] + t.substring(STARTS[i].length()); // a literal prefix: what replaceFirst does
            } else if (t.length() == STARTS[i].length()) {
                t = FOLDED[i];
            } else {
                t = Patterns.ALIASES[i].matcher(t).replaceFirst(FOLDED[i]); // longer: a trailing line terminator is what $ allows
            }
        }
        return t.replace(" (", "(").replace("( ", "(").replace(" )", ")").replace(", ", ",");
    }
}
