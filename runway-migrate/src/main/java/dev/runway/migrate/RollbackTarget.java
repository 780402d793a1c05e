package dev.runway.migrate;

import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.MigrationVersion;
import dev.runway.migrate.history.HistoryStatus;
import java.math.BigInteger;
import java.util.List;

/**
 * What {@code rollback} accepts before it changes anything: {@code --to V} names an applied version
 * (or the baseline, or 0 for everything), {@code --step N} at most the number of applied migrations.
 * A mistyped version must never be read as "everything newer than this": a 13-digit typo of a
 * 14-digit timestamp is smaller than every applied version and would revert them all. Stateless.
 */
final class RollbackTarget {
    private RollbackTarget() {
    }

    /** @throws RunwayException USAGE naming the nearest applied versions, or how many are applied */
    static void check(Plan plan, MigrateOptions options) {
        List<MigrationStatus> applied = plan.appliedNewestFirst();
        if (options.steps() > applied.size()) {
            throw RunwayException.usage("rollback --step " + options.steps() + ": only " + applied.size() + " migration"
                    + (applied.size() == 1 ? " is" : "s are") + " applied and can be rolled back"
                    + (applied.isEmpty() ? "" : " (--step " + applied.size() + " or --to 0 undoes all of them)")
                    + "; nothing was rolled back");
        }
        MigrationVersion to = options.to();
        if (to == null || isZero(to) || isApplied(plan, to)) {
            return;
        }
        MigrationVersion below = null;
        MigrationVersion above = null;
        for (MigrationStatus s : plan.statuses()) {
            if (!isAppliedRow(s)) {
                continue;
            }
            if (s.version().compareTo(to) < 0) {
                below = s.version();
            } else if (above == null) {
                above = s.version();
            }
        }
        String nearest = below == null && above == null ? "no migration is applied"
                : below == null ? "the nearest applied version is " + above + " (newer)"
                : above == null ? "the nearest applied version is " + below + " (older)"
                : "the nearest applied versions are " + below + " (older) and " + above + " (newer)";
        throw RunwayException.usage("rollback --to " + to + ": not an applied version (" + nearest + "); give an applied"
                + " version, or 0 to undo everything; nothing was rolled back");
    }

    private static boolean isApplied(Plan plan, MigrationVersion v) {
        for (MigrationStatus s : plan.statuses()) {
            if (s.version().equals(v) && isAppliedRow(s)) {
                return true;
            }
        }
        return false;
    }

    /** A history row that counts as applied: applied (file present or not) or the baseline. */
    private static boolean isAppliedRow(MigrationStatus s) {
        return s.row() != null && (s.row().status() == HistoryStatus.APPLIED || s.row().status() == HistoryStatus.BASELINE);
    }

    static boolean isZero(MigrationVersion v) {
        for (BigInteger p : v.parts()) {
            if (p.signum() != 0) {
                return false;
            }
        }
        return true;
    }
}
