package dev.runway.migrate.dir.internal;

import dev.runway.core.RunwayException;
import dev.runway.core.sql.LineComment;
import dev.runway.core.sql.SqlStatement;
import dev.runway.core.sql.Token;
import dev.runway.migrate.dir.Nolint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/**
 * The {@code -- runway:nolint RWnnn <reason>} comments inside a section (after {@code -- runway:up}
 * or {@code -- runway:down}, or below the first statement of a file without markers). Each one covers
 * the statement that follows it, with only blank lines and other comments in between, and nothing
 * else. The only directive allowed there; everything about it is checked as in the header, plus its
 * place: on a line of its own, not inside a statement, followed by a statement of the same section,
 * one per rule and statement. Stateless.
 */
final class InlineNolints {
    private InlineNolints() {
    }

    /**
     * The USAGE error for directive {@code c} (not a nolint) found inside a section.
     *
     * @param place where directives go instead, e.g. "in the header, before '-- runway:up'"
     */
    static RunwayException misplaced(LineComment c, String at, String place) {
        String name = DirectiveParser.name(c);
        if (!DirectiveParser.known(name)) {
            return DirectiveParser.unknown(name, at);
        }
        return RunwayException.usage(at + ": '-- " + DirectiveParser.PREFIX + name + "' is a directive for the whole migration; "
                + "put it " + place + " (only nolint may also sit right before a statement)");
    }

    /**
     * Parses the nolint comments of one section and attaches each to the statement it precedes.
     *
     * @param comments   the section's nolint comments, in file order
     * @param statements the section's statements, in order
     * @param section    "up" or "down", for messages
     * @param where      the file, for messages
     * @return the nolints by index (in {@code statements}) of the statement they cover; unmodifiable, empty when none
     */
    static Map<Integer, List<Nolint>> attach(List<LineComment> comments, List<SqlStatement> statements, String section, String where) {
        if (comments.isEmpty()) {
            return Map.of();
        }
        return attach(comments, statements, new Bound(statements, true), new Bound(statements, false), section, where);
    }

    /** Statement i's start or end offset, from its tokens: a class, not a lambda (none to link in a cold JVM). */
    private static final class Bound implements IntUnaryOperator {
        private final List<SqlStatement> statements;
        private final boolean start;

        Bound(List<SqlStatement> statements, boolean start) {
            this.statements = statements;
            this.start = start;
        }

        @Override
        public int applyAsInt(int i) {
            return start ? start(statements.get(i)) : end(statements.get(i));
        }
    }

    /** {@link #attach} with the statements' text offsets given apart ({@code startOf(i)}, {@code endOf(i)} for statement i). */
    static Map<Integer, List<Nolint>> attach(List<LineComment> comments, List<SqlStatement> statements, IntUnaryOperator startOf,
                                             IntUnaryOperator endOf, String section, String where) {
        if (comments.isEmpty()) {
            return Map.of();
        }
        Map<Integer, List<Nolint>> out = new TreeMap<>();
        int next = 0;
        for (LineComment c : comments) {
            String at = where + ":" + c.line();
            Nolint n = DirectiveParser.nolint(c, at);
            while (next < statements.size() && startOf.applyAsInt(next) < c.offset()) {
                next++;
            }
            if (next > 0 && endOf.applyAsInt(next - 1) > c.offset()) {
                throw RunwayException.usage(at + ": nolint " + n.rule() + " is inside the statement that starts on line "
                        + statements.get(next - 1).line() + " (a missing ';'?); put it on its own line right before the statement it covers");
            }
            if (!c.atLineStart()) {
                throw RunwayException.usage(at + ": nolint " + n.rule() + " does not start its line; put it on its own line right before"
                        + " the statement it covers");
            }
            if (next == statements.size()) {
                throw RunwayException.usage(at + ": nolint " + n.rule() + " is not followed by a statement in the " + section
                        + " section; put it right before the statement it covers"
                        + (section.equals("up") ? ", or in the header to cover the whole file" : ""));
            }
            List<Nolint> mine = out.get(next); // (get and put rather than computeIfAbsent: no lambda to link in a cold JVM)
            if (mine == null) {
                mine = new ArrayList<>();
                out.put(next, mine);
            }
            for (Nolint other : mine) {
                if (other.rule().equals(n.rule())) {
                    throw RunwayException.usage(at + ": nolint " + n.rule() + " given twice for the statement on line "
                            + statements.get(next).line() + " (lines " + other.line() + " and " + n.line() + "); keep one");
                }
            }
            mine.add(n);
        }
        for (Map.Entry<Integer, List<Nolint>> e : out.entrySet()) {
            e.setValue(List.copyOf(e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    private static int start(SqlStatement s) {
        return s.tokens().get(0).offset();
    }

    private static int end(SqlStatement s) {
        Token last = s.tokens().get(s.tokens().size() - 1);
        return last.offset() + last.text().length();
    }
}
