package dev.runway.backfill.internal;

import dev.runway.core.RunwayException;
import dev.runway.core.sql.SqlScanner;
import dev.runway.core.sql.SqlStatement;
import dev.runway.core.sql.Token;
import dev.runway.core.sql.TokenType;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A batch statement with its key placeholders turned into JDBC bind parameters (never pasted as text):
 * <ul>
 *   <li>{@code :first} / {@code :last}: the batch's first and last key, both inclusive, for any key type;
 *       {@code :first_<col>} / {@code :last_<col>} per column of a composite key. Bound with the value's
 *       text form as {@code CAST(? AS <column type>)}.</li>
 *   <li>{@code :lo} / {@code :hi}: for one integer key only, the half-open range {@code [lo, hi)}
 *       ({@code hi} = last + 1), bound as bigint: the original form, unchanged.</li>
 * </ul>
 * Placeholders inside string literals, quoted identifiers, dollar quotes and comments are left alone, as
 * is {@code ::type} casting; a literal {@code ?} (jsonb operators) is escaped as {@code ??} so pgjdbc does
 * not take it for a parameter. Immutable.
 */
public final class BoundSql {
    private static final Pattern NAME = Pattern.compile("(lo|hi|first|last)(?:_([A-Za-z_][A-Za-z0-9_$]*))?");

    /** Which bound a placeholder stands for. */
    public enum Bound { LO, HI, FIRST, LAST }

    /**
     * One placeholder.
     *
     * @param bound  which bound
     * @param column the key column of {@code :first_<col>}/{@code :last_<col>}; null for the one-column forms
     * @param before the significant token before it (opening parentheses skipped), to catch {@code < :last}
     */
    public record Placeholder(Bound bound, String column, String before) {
        /** {@code :first_tenant_id}, as written. */
        public String text() {
            return ":" + bound.name().toLowerCase() + (column == null ? "" : "_" + column);
        }
    }

    private final String text;
    private final List<Placeholder> placeholders;
    private final List<int[]> spans; // {start, end, placeholder index or -1 for an escaped '?'}

    private BoundSql(String text, List<Placeholder> placeholders, List<int[]> spans) {
        this.text = text;
        this.placeholders = List.copyOf(placeholders);
        this.spans = List.copyOf(spans);
    }

    public static BoundSql of(String text) {
        // The core scanner already knows strings (E'' escapes included), quoted identifiers, dollar
        // quotes and comments: only its tokens are looked at, everything between them is copied as is.
        List<Token> tokens = new ArrayList<>();
        for (SqlStatement st : SqlScanner.scan(text, "backfill statement").statements()) {
            tokens.addAll(st.tokens());
        }
        List<Placeholder> found = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            Token next = k + 1 < tokens.size() ? tokens.get(k + 1) : null;
            Matcher m = next == null ? null : NAME.matcher(next.text());
            if (t.is(":") && next.offset() == t.offset() + 1 && next.type() == TokenType.WORD && m.matches()) {
                int b = k - 1;
                while (b >= 0 && tokens.get(b).is("(")) {
                    b--;
                }
                found.add(new Placeholder(Bound.valueOf(m.group(1).toUpperCase()), m.group(2), b < 0 ? null : tokens.get(b).text()));
                spans.add(new int[] {t.offset(), next.offset() + next.text().length(), found.size() - 1});
                k++;
            } else if (t.type() == TokenType.OPERATOR && t.text().indexOf('?') >= 0) {
                spans.add(new int[] {t.offset(), t.offset() + t.text().length(), -1}); // jsonb ?, ?|, ?&
            }
        }
        return new BoundSql(text, found, spans);
    }

    /** The placeholders in order of appearance: parameter i + 1 is placeholder i. */
    public List<Placeholder> placeholders() {
        return placeholders;
    }

    /** The statement for {@code prepareStatement}: {@code ?} for {@code :lo}/{@code :hi}, {@code CAST(? AS type)} for the others. */
    public String sql(TableKey key) {
        StringBuilder out = new StringBuilder(text.length() + 16 * spans.size());
        int copied = 0;
        for (int[] s : spans) {
            out.append(text, copied, s[0]);
            if (s[2] < 0) {
                out.append(text.substring(s[0], s[1]).replace("?", "??"));
            } else {
                Placeholder p = placeholders.get(s[2]);
                out.append(p.bound() == Bound.LO || p.bound() == Bound.HI ? "?" : key.cast(column(p, key)));
            }
            copied = s[1];
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** Binds the batch's bounds (text form per key column) to the placeholders. */
    public void bind(PreparedStatement ps, TableKey key, List<String> first, List<String> last) throws SQLException {
        for (int i = 0; i < placeholders.size(); i++) {
            Placeholder p = placeholders.get(i);
            switch (p.bound()) {
                case LO:
                    ps.setLong(i + 1, Long.parseLong(first.get(0)));
                    break;
                case HI:
                    long l = Long.parseLong(last.get(0));
                    if (l == Long.MAX_VALUE) {
                        throw RunwayException.usage("key " + key.display() + " reaches 9223372036854775807, so no :hi above it exists;"
                                + " use :first and :last (both inclusive) instead of :lo and :hi");
                    }
                    ps.setLong(i + 1, l + 1);
                    break;
                case FIRST:
                    ps.setString(i + 1, first.get(column(p, key)));
                    break;
                default:
                    ps.setString(i + 1, last.get(column(p, key)));
            }
        }
    }

    /**
     * Refuses placeholders that do not fit {@code key}, and a statement that does not bound every key
     * column from both sides (it would run beyond its batch, on the whole table, in every batch).
     *
     * @param at {@code file:line} of the statement
     */
    public void check(TableKey key, String at) {
        boolean[] lower = new boolean[key.columns().size()];
        boolean[] upper = new boolean[key.columns().size()];
        for (Placeholder p : placeholders) {
            boolean half = p.bound() == Bound.LO || p.bound() == Bound.HI;
            if (half && p.column() != null) {
                throw RunwayException.usage(at + ": " + p.text() + ": a key column's bounds are :first_<col> and :last_<col>"
                        + " (both inclusive); write " + example(key));
            }
            if (half && !key.singleInteger()) {
                throw RunwayException.usage(at + ": " + p.text() + " needs one smallint, integer or bigint key column (:hi is one"
                        + " past the batch's last key, and " + key.display() + " has no next value); write " + example(key));
            }
            if (!half && p.column() == null && key.columns().size() > 1) {
                throw RunwayException.usage(at + ": " + p.text() + " stands for a one-column key; the key is " + key.display()
                        + ", so write " + example(key));
            }
            if (p.column() != null && key.indexOf(p.column()) < 0) {
                throw RunwayException.usage(at + ": " + p.text() + ": " + p.column() + " is not a key column (the key is "
                        + key.display() + ")");
            }
            String wrong = p.bound() == Bound.HI ? "<=" : p.bound() == Bound.LAST ? "<" : ">";
            if (wrong.equals(p.before())) {
                throw RunwayException.usage(at + ": '" + wrong + " " + p.text() + "' " + (p.bound() == Bound.HI
                        ? "leaves a key out or in twice: :hi is one past the batch's last key, compare with '< :hi'"
                        : "skips a key of every batch: " + p.text() + " is inclusive, compare with '"
                        + (p.bound() == Bound.LAST ? "<=" : ">=") + " " + p.text() + "'"));
            }
            int c = half ? 0 : column(p, key);
            if (p.bound() == Bound.LO || p.bound() == Bound.FIRST) {
                lower[c] = true;
            } else {
                upper[c] = true;
            }
        }
        for (int c = 0; c < lower.length; c++) {
            if (!lower[c] || !upper[c]) {
                throw RunwayException.usage(at + ": a backfill statement must bound " + (lower.length == 1 ? "the key" : "every key column")
                        + " from both sides, e.g. " + example(key) + ", or it would run on the whole table in every batch");
            }
        }
    }

    private static String example(TableKey key) {
        if (key.singleInteger()) {
            String k = key.columns().get(0).name();
            return "WHERE " + k + " >= :lo AND " + k + " < :hi";
        }
        if (key.columns().size() == 1) {
            String k = key.columns().get(0).name();
            return "WHERE " + k + " >= :first AND " + k + " <= :last";
        }
        List<String> f = new ArrayList<>();
        List<String> l = new ArrayList<>();
        key.names().forEach(n -> {
            f.add(":first_" + n);
            l.add(":last_" + n);
        });
        String row = "(" + String.join(", ", key.names()) + ")";
        return "WHERE " + row + " >= (" + String.join(", ", f) + ") AND " + row + " <= (" + String.join(", ", l) + ")";
    }

    private static int column(Placeholder p, TableKey key) {
        return p.column() == null ? 0 : key.indexOf(p.column());
    }
}
