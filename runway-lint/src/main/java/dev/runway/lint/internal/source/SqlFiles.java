package dev.runway.lint.internal.source;

import dev.runway.core.RunwayException;
import dev.runway.core.sql.LineComment;
import dev.runway.core.sql.ScanResult;
import dev.runway.core.sql.SqlScanner;
import dev.runway.core.sql.SqlStatement;
import dev.runway.lint.CheckedMigration;
import dev.runway.lint.RuleId;
import dev.runway.lint.internal.Suppression;
import dev.runway.migrate.dir.TransactionMode;
import dev.runway.migrate.dir.TransactionPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads one SQL file for {@code check}: a Runway file ({@code -- runway:up} / {@code -- runway:down}
 * markers and directives) or a plain SQL file that another runner executes (no markers: the whole
 * file is the up section). Stateless.
 */
public final class SqlFiles {
    /** Runway's directives, in the order the error for an unknown one lists them (a list: the same order every run). */
    private static final List<String> DIRECTIVES = List.of("up", "down", "transaction", "lock-timeout", "statement-timeout", "retries",
            "nolint", "backfill", "allow-empty");

    private SqlFiles() {
    }

    /** Reads {@code file}; {@code shown} is the name used in findings. */
    public static CheckedMigration read(Path file, String shown) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw RunwayException.usage(shown + ": cannot read (" + e.getMessage() + ")");
        }
        return parse(text, shown);
    }

    /** Parses {@code text} as the content of {@code shown}. */
    public static CheckedMigration parse(String text, String shown) {
        ScanResult r = SqlScanner.scan(text, shown);
        int upLine = -1;
        int downLine = Integer.MAX_VALUE;
        boolean txNone = false;
        boolean lockTimeout = false;
        List<LineComment> nolints = new ArrayList<>();
        for (LineComment c : r.comments()) {
            if (!c.text().startsWith("runway:")) {
                continue;
            }
            String body = c.text().substring("runway:".length()).trim();
            String name = body.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            String at = shown + ":" + c.line();
            if (!DIRECTIVES.contains(name)) {
                throw RunwayException.usage(at + ": unknown directive 'runway:" + name + "' (known: " + String.join(", ", DIRECTIVES) + ")");
            }
            switch (name) {
                case "up":
                    upLine = c.line();
                    break;
                case "down":
                    downLine = c.line();
                    break;
                case "transaction":
                    txNone = body.toLowerCase(Locale.ROOT).matches("transaction\\s+none");
                    break;
                case "lock-timeout":
                    lockTimeout = true;
                    break;
                case "nolint":
                    nolints.add(c);
                    break;
                default:
                    break;
            }
        }
        List<SqlStatement> up = new ArrayList<>();
        List<SqlStatement> down = downLine == Integer.MAX_VALUE ? null : new ArrayList<>();
        for (SqlStatement s : r.statements()) {
            if (s.line() > downLine) {
                down.add(s);
            } else if (s.line() > upLine) {
                up.add(s);
            }
        }
        int header = upLine >= 0 ? upLine : (up.isEmpty() ? Integer.MAX_VALUE : up.get(0).line() - 1);
        List<Suppression> sup = new ArrayList<>();
        for (LineComment c : nolints) {
            if (c.line() < header || upLine >= 0 && c.line() < upLine) {
                sup.add(nolint(c, shown, true, false, -1));
                continue;
            }
            // It covers the first statement starting after its line, in the up section or else the down section.
            int i = after(up, c.line());
            int j = i < 0 && down != null ? after(down, c.line()) : -1;
            sup.add(nolint(c, shown, false, j >= 0, i >= 0 ? i : j));
        }
        String name = shown.replaceAll("^.*/", "").replaceAll("\\.sql$", "");
        java.util.regex.Matcher v = java.util.regex.Pattern.compile("^V?(\\d+(?:[._]\\d+)*)").matcher(name);
        return new CheckedMigration(v.find() ? v.group(1) : null, name, shown, up, down, down == null ? null : shown, !txNone && !allNonTransactional(up),
                down != null && !txNone && !allNonTransactional(down), lockTimeout, sup, List.of());
    }

    /**
     * {@code m} as Runway would run it, for Runway mode: a file that manages its own transactions (BEGIN,
     * COMMIT, ROLLBACK) gets the loader's units, and unbalanced control is the same USAGE error naming
     * file:line that {@code migrate} gives. Other files are returned as they are.
     */
    public static CheckedMigration forRunway(CheckedMigration m) {
        boolean explicit = false;
        for (SqlStatement s : m.up()) {
            String k = s.transactionControl() ? s.keyword() : "";
            explicit |= k.equals("BEGIN") || k.equals("START TRANSACTION") || k.equals("COMMIT") || k.equals("END")
                    || k.equals("ROLLBACK") || k.equals("ABORT");
        }
        if (!explicit) {
            return m;
        }
        boolean none = !m.transactional() && !allNonTransactional(m.up());
        TransactionPlan plan = TransactionPlan.of(m.up(), none, m.file());
        return m.withUnits(plan.mode() == TransactionMode.TRANSACTIONAL, plan.units());
    }

    /** Index of the first statement of {@code l} starting after {@code line}, or -1. */
    private static int after(List<SqlStatement> l, int line) {
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i).line() > line) {
                return i;
            }
        }
        return -1;
    }

    /** Parses one nolint comment ({@link Suppression} says what the flags mean); USAGE error for a missing reason or an unknown rule. */
    static Suppression nolint(LineComment c, String shown, boolean fileWide, boolean down, int statement) {
        String[] parts = c.text().substring("runway:".length()).trim().split("\\s+", 3);
        String at = shown + ":" + c.line();
        if (parts.length < 2) {
            throw RunwayException.usage(at + ": 'runway:nolint' needs a rule id and a reason, e.g. '-- runway:nolint RW201 column unused since v42'");
        }
        RuleId rule = RuleId.parse(parts[1], at);
        if (parts.length < 3 || parts[2].isBlank()) {
            throw RunwayException.usage(at + ": 'runway:nolint " + parts[1] + "' needs a reason after the rule id");
        }
        return new Suppression(rule, parts[2].trim(), c.line(), fileWide, down, statement);
    }

    static boolean allNonTransactional(List<SqlStatement> l) {
        if (l.isEmpty()) {
            return false;
        }
        for (SqlStatement s : l) {
            if (!s.nonTransactional()) {
                return false;
            }
        }
        return true;
    }
}
