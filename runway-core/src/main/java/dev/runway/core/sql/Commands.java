package dev.runway.core.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Classifies a statement from its leading tokens. Not a parser: it knows the command heads of
 * PostgreSQL's SQL commands (https://www.postgresql.org/docs/current/sql-commands.html) and the
 * statements on which the server calls {@code PreventInTransactionBlock}.
 */
final class Commands {
    /** Words that may come between CREATE and the object type. */
    private static final Set<String> CREATE_MODIFIERS = Set.of("OR", "REPLACE", "UNIQUE", "TEMP", "TEMPORARY",
            "UNLOGGED", "GLOBAL", "LOCAL", "RECURSIVE", "TRUSTED", "PROCEDURAL", "DEFAULT", "CONSTRAINT");

    /** Object types after CREATE/ALTER/DROP, longest phrases first within each first word. */
    private static final Map<String, List<String[]>> OBJECTS = new HashMap<>();

    static {
        String[] phrases = {
            "ACCESS METHOD", "AGGREGATE", "CAST", "COLLATION", "CONVERSION", "DATABASE", "DEFAULT PRIVILEGES",
            "DOMAIN", "EVENT TRIGGER", "EXTENSION", "FOREIGN DATA WRAPPER", "FOREIGN TABLE", "FUNCTION", "GROUP",
            "INDEX", "LANGUAGE", "LARGE OBJECT", "MATERIALIZED VIEW", "OPERATOR CLASS", "OPERATOR FAMILY",
            "OPERATOR", "OWNED", "POLICY", "PROCEDURE", "PUBLICATION", "ROLE", "ROUTINE", "RULE", "SCHEMA",
            "SEQUENCE", "SERVER", "STATISTICS", "SUBSCRIPTION", "SYSTEM", "TABLE", "TABLESPACE",
            "TEXT SEARCH CONFIGURATION", "TEXT SEARCH DICTIONARY", "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE",
            "TRANSFORM", "TRIGGER", "TYPE", "USER MAPPING", "USER", "VIEW"};
        // (get and put, and a comparator class: no lambda to link in a cold JVM, which every release and check starts)
        for (String p : phrases) {
            String[] words = p.split(" ");
            List<String[]> list = OBJECTS.get(words[0]);
            if (list == null) {
                list = new ArrayList<>();
                OBJECTS.put(words[0], list);
            }
            list.add(words);
        }
        for (List<String[]> list : OBJECTS.values()) {
            list.sort(new LongestFirst());
        }
    }

    /** Phrases with more words first. */
    private static final class LongestFirst implements java.util.Comparator<String[]> {
        @Override
        public int compare(String[] a, String[] b) {
            return b.length - a.length;
        }
    }

    /** The command's keyword and the index of the first token after it. */
    record Head(String keyword, int next) {
    }

    private Commands() {
    }

    static Head head(List<Token> t) {
        String w0 = word(t, 0);
        if (w0 == null) {
            return new Head("", 0);
        }
        StringBuilder kw = new StringBuilder(w0);
        int i = 1;
        switch (w0) {
            case "CREATE":
            case "ALTER":
            case "DROP":
                if (w0.equals("CREATE")) {
                    while (word(t, i) != null && CREATE_MODIFIERS.contains(word(t, i))) {
                        kw.append(' ').append(word(t, i++));
                    }
                }
                String w = word(t, i);
                if (w != null) {
                    String[] match = null;
                    for (String[] phrase : OBJECTS.getOrDefault(w, List.of())) {
                        if (matches(t, i, phrase)) {
                            match = phrase;
                            break;
                        }
                    }
                    if (match == null) {
                        match = new String[] {w};
                    }
                    for (String m : match) {
                        kw.append(' ').append(m);
                    }
                    i += match.length;
                }
                break;
            case "SET":
                if (matches(t, 1, "SESSION", "AUTHORIZATION") || matches(t, 1, "SESSION", "CHARACTERISTICS")) {
                    kw.append(" SESSION ").append(word(t, 2));
                    i = 3;
                    break;
                }
                int j = 1;
                if (t.size() > 2 && (isWord(t, 1, "SESSION") || isWord(t, 1, "LOCAL"))) {
                    j = 2;
                }
                if (matches(t, j, "SESSION", "AUTHORIZATION")) {
                    kw.append(" SESSION AUTHORIZATION");
                    i = j + 2;
                } else if (isWord(t, j, "ROLE") || isWord(t, j, "CONSTRAINTS") || isWord(t, j, "TRANSACTION")) {
                    kw.append(' ').append(word(t, j));
                    i = j + 1;
                }
                break;
            case "REFRESH":
                i = append(kw, t, i, "MATERIALIZED", "VIEW");
                break;
            case "START":
                i = append(kw, t, i, "TRANSACTION");
                break;
            case "PREPARE":
                i = append(kw, t, i, "TRANSACTION");
                break;
            case "COMMIT":
                i = append(kw, t, i, "PREPARED");
                break;
            case "ROLLBACK":
                if (isWord(t, 1, "PREPARED")) {
                    i = append(kw, t, i, "PREPARED");
                } else {
                    int k = isWord(t, 1, "WORK") || isWord(t, 1, "TRANSACTION") ? 2 : 1;
                    if (isWord(t, k, "TO")) {
                        kw.append(" TO");
                        i = k + 1;
                    }
                }
                break;
            case "SECURITY":
                i = append(kw, t, i, "LABEL");
                break;
            case "IMPORT":
                i = append(kw, t, i, "FOREIGN", "SCHEMA");
                break;
            case "REASSIGN":
                i = append(kw, t, i, "OWNED");
                break;
            default:
                break;
        }
        // a one-word command (INSERT, DO, SET) is the word itself: no copy
        return new Head(kw.length() == w0.length() ? w0 : kw.toString(), i);
    }

    static String nonTransactionalReason(List<Token> t) {
        String w0 = word(t, 0);
        if (w0 == null) {
            return null;
        }
        switch (w0) {
            case "VACUUM":
                return "VACUUM";
            case "CLUSTER":
                return clusterWithoutTable(t) ? "CLUSTER without a table name" : null;
            case "REINDEX":
                return reindex(t);
            case "DISCARD":
                return isWord(t, 1, "ALL") ? "DISCARD ALL" : null;
            case "CREATE":
            case "DROP":
            case "ALTER":
                break;
            default:
                return null;
        }
        Head h = head(t);
        switch (h.keyword()) {
            case "CREATE INDEX":
            case "CREATE UNIQUE INDEX":
            case "DROP INDEX":
                return isWord(t, h.next(), "CONCURRENTLY") ? h.keyword() + " CONCURRENTLY" : null;
            case "CREATE DATABASE":
            case "DROP DATABASE":
            case "CREATE TABLESPACE":
            case "DROP TABLESPACE":
            case "CREATE SUBSCRIPTION":
            case "ALTER SUBSCRIPTION":
            case "DROP SUBSCRIPTION":
            case "ALTER SYSTEM":
                return h.keyword();
            case "ALTER DATABASE":
                return containsWords(t, "SET", "TABLESPACE") ? "ALTER DATABASE SET TABLESPACE" : null;
            case "ALTER TABLE":
                return containsWords(t, "DETACH", "PARTITION") && concurrently(t)
                        ? "ALTER TABLE DETACH PARTITION CONCURRENTLY" : null;
            default:
                return null;
        }
    }

    /** CLUSTER [VERBOSE] and CLUSTER (options) with nothing after: reclusters every table, outside a transaction. */
    private static boolean clusterWithoutTable(List<Token> t) {
        int i = 1;
        if (i < t.size() && t.get(i).is("(")) {
            i = skipParens(t, i);
        }
        if (isWord(t, i, "VERBOSE")) {
            i++;
        }
        return i >= t.size();
    }

    /** REINDEX [(options)] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM} [CONCURRENTLY] name. */
    private static String reindex(List<Token> t) {
        int i = 1;
        boolean concurrent = false;
        if (i < t.size() && t.get(i).is("(")) {
            int end = skipParens(t, i);
            for (int k = i + 1; k < end; k++) {
                if (t.get(k).isWord("CONCURRENTLY")) {
                    // CONCURRENTLY [boolean]: "false", "off" and "0" turn it off.
                    Token v = k + 1 < end ? t.get(k + 1) : null;
                    concurrent = v == null || !(v.isWord("false") || v.isWord("off") || v.text().equals("0"));
                }
            }
            i = end;
        }
        String kind = word(t, i);
        if (kind == null) {
            return null;
        }
        if (isWord(t, i + 1, "CONCURRENTLY")) {
            concurrent = true;
        }
        boolean wide = kind.equals("SCHEMA") || kind.equals("DATABASE") || kind.equals("SYSTEM");
        if (!wide && !concurrent) {
            return null;
        }
        return "REINDEX " + kind + (concurrent ? " CONCURRENTLY" : "");
    }

    static boolean transactionControl(List<Token> t) {
        String w0 = word(t, 0);
        if (w0 == null) {
            return false;
        }
        switch (w0) {
            case "BEGIN":
            case "COMMIT":
            case "END":
            case "ROLLBACK":
            case "ABORT":
            case "SAVEPOINT":
            case "RELEASE":
                return true;
            case "START":
            case "PREPARE":
                return isWord(t, 1, "TRANSACTION");
            default:
                return false;
        }
    }

    static boolean sessionSetting(List<Token> t) {
        String w0 = word(t, 0);
        if (w0 == null) {
            return false;
        }
        switch (w0) {
            case "SET":
                if (isWord(t, 1, "LOCAL")) {
                    return false;
                }
                String kw = head(t).keyword();
                return !kw.equals("SET CONSTRAINTS") && !kw.equals("SET TRANSACTION");
            case "RESET":
            case "DISCARD":
            case "LISTEN":
            case "UNLISTEN":
            case "DEALLOCATE":
            case "LOAD":
                return true;
            case "PREPARE":
                return !isWord(t, 1, "TRANSACTION");
            default:
                return sessionSetConfig(t);
        }
    }

    /** {@code set_config(name, value, false)}: is_local = false changes the session. */
    private static boolean sessionSetConfig(List<Token> t) {
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.get(i).isWord("set_config") && t.get(i + 1).is("(")) {
                int end = skipParens(t, i + 1);
                if (end - 2 > i + 1 && t.get(end - 2).isWord("false")) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean concurrently(List<Token> t) {
        for (int i = 0; i < t.size(); i++) {
            // "AS concurrently" is a column alias, the one place the word is not a keyword.
            if (t.get(i).isWord("CONCURRENTLY") && !(i > 0 && t.get(i - 1).isWord("AS"))) {
                return true;
            }
        }
        return false;
    }

    /** Index just past the ")" matching the "(" at {@code open} (or the end). */
    private static int skipParens(List<Token> t, int open) {
        int depth = 0;
        for (int i = open; i < t.size(); i++) {
            Token k = t.get(i);
            if (k.is("(")) {
                depth++;
            } else if (k.is(")") && --depth == 0) {
                return i + 1;
            }
        }
        return t.size();
    }

    private static boolean containsWords(List<Token> t, String a, String b) {
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.get(i).isWord(a) && t.get(i + 1).isWord(b)) {
                return true;
            }
        }
        return false;
    }

    private static int append(StringBuilder kw, List<Token> t, int i, String... words) {
        if (!matches(t, i, words)) {
            return i;
        }
        for (String w : words) {
            kw.append(' ').append(w);
        }
        return i + words.length;
    }

    private static boolean matches(List<Token> t, int i, String... words) {
        for (int k = 0; k < words.length; k++) {
            if (!isWord(t, i + k, words[k])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWord(List<Token> t, int i, String w) {
        return i < t.size() && t.get(i).isWord(w);
    }

    /** The upper-cased word at {@code i}, or null when there is none or it is not a WORD. */
    private static String word(List<Token> t, int i) {
        if (i >= t.size() || t.get(i).type() != TokenType.WORD) {
            return null;
        }
        return t.get(i).text().toUpperCase(Locale.ROOT);
    }
}
