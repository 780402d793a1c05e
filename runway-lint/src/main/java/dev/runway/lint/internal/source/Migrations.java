package dev.runway.lint.internal.source;

import dev.runway.core.Parallel;
import dev.runway.core.RunwayException;
import dev.runway.lint.CheckedMigration;
import dev.runway.lint.RuleId;
import dev.runway.lint.internal.Suppression;
import dev.runway.migrate.dir.Migration;
import dev.runway.migrate.dir.Nolint;
import dev.runway.migrate.dir.TransactionMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Adapts the migration engine's {@link Migration} (read by {@code MigrationDirectory}) to what
 * {@code check} needs. The directory loader already rejects a nolint without a reason or with a
 * malformed id; this rejects ids that name no rule. A nolint in the file header covers the whole file;
 * one inside the up or down section covers the statement right after it. Stateless.
 */
public final class Migrations {
    private Migrations() {
    }

    /** The check view of {@code m}; USAGE error naming file:line for a nolint of an unknown rule. */
    public static CheckedMigration of(Migration m) {
        return of(m, Path.of("").toAbsolutePath());
    }

    private static CheckedMigration of(Migration m, Path cwd) {
        String file = shown(m.file(), cwd);
        String downFile = m.downFile() == null ? null : shown(m.downFile(), cwd);
        List<Suppression> sup = new ArrayList<>();
        for (Nolint n : m.directives().nolint()) {
            sup.add(Suppression.fileWide(rule(n, file), n.reason(), n.line()));
        }
        inline(m.upNolint(), false, file, sup);
        inline(m.downNolint(), true, downFile, sup);
        return new CheckedMigration(m.version().text(), m.displayName(), file, m.up(), m.down(),
                downFile, m.transactionMode() == TransactionMode.TRANSACTIONAL,
                m.downTransactionMode() == TransactionMode.TRANSACTIONAL, m.directives().lockTimeout() != null, sup,
                m.transactionMode() == TransactionMode.NONE ? List.of() : m.upUnits());
    }

    private static void inline(Map<Integer, List<Nolint>> byStatement, boolean down, String file, List<Suppression> into) {
        for (Map.Entry<Integer, List<Nolint>> e : byStatement.entrySet()) {
            for (Nolint n : e.getValue()) {
                into.add(new Suppression(rule(n, file), n.reason(), n.line(), false, down, e.getKey()));
            }
        }
    }

    private static RuleId rule(Nolint n, String file) {
        return RuleId.parse(n.rule(), file + ":" + n.line() + ": nolint");
    }

    /** {@link #of} for each (on two threads; the first failure in order is the one thrown). */
    public static List<CheckedMigration> of(List<Migration> ms) {
        Path cwd = Path.of("").toAbsolutePath();
        // a class, not a lambda: a cold JVM pays for linking each lambda's call site (the static check's path has none)
        List<Parallel.Outcome<CheckedMigration>> done = Parallel.run(ms.size(), new IntFunction<CheckedMigration>() {
            @Override
            public CheckedMigration apply(int i) {
                return of(ms.get(i), cwd);
            }
        });
        List<CheckedMigration> out = new ArrayList<>(ms.size());
        for (Parallel.Outcome<CheckedMigration> o : done) {
            out.add(o.get());
        }
        return out;
    }

    /** The path relative to the working directory {@code cwd} when it is below it (what SARIF and GitHub annotations want). */
    private static String shown(Path p, Path cwd) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : p.toString();
    }

    /** Throws USAGE for an unknown id (used when a caller builds suppressions itself). */
    static RuleId rule(String id, String where) {
        RuleId r = RuleId.find(id);
        if (r == null) {
            throw RunwayException.usage(where + ": unknown rule '" + id + "'");
        }
        return r;
    }
}
