package dev.runway.migrate;

import dev.runway.core.ErrorCode;
import dev.runway.core.RunwayException;
import dev.runway.migrate.dir.MigrationRef;
import dev.runway.migrate.dir.MigrationVersion;
import dev.runway.migrate.history.HistoryRow;
import dev.runway.migrate.history.HistoryStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files of this release set against the history table: the state of every version, what is
 * pending, and what is wrong. Computed under the migration lock. Immutable.
 */
public final class Plan {
    private final List<MigrationStatus> statuses;
    private final List<MigrationRef> pending;
    private final Map<MigrationVersion, HistoryRow> rows;
    private final List<MigrationStatus> legacyRowsToUpgrade;

    private Plan(List<MigrationStatus> statuses, List<MigrationRef> pending, Map<MigrationVersion, HistoryRow> rows,
                 List<MigrationStatus> legacyRowsToUpgrade) {
        this.statuses = List.copyOf(statuses);
        this.pending = List.copyOf(pending);
        this.rows = rows;
        this.legacyRowsToUpgrade = List.copyOf(legacyRowsToUpgrade);
    }

    /**
     * @param files the migrations of this release, in version order
     * @param history the history rows of the same kind
     */
    public static Plan of(List<MigrationRef> files, List<HistoryRow> history, boolean allowOutOfOrder) {
        Map<MigrationVersion, HistoryRow> rows = new HashMap<>();
        MigrationVersion newestApplied = null;
        MigrationVersion baseline = null;
        for (HistoryRow r : history) {
            rows.put(r.version(), r);
            if (r.version().isRepeatable()) {
                continue; // repeatables run after every versioned migration: they set no order
            }
            if (r.status() == HistoryStatus.BASELINE && (baseline == null || r.version().compareTo(baseline) > 0)) {
                baseline = r.version();
            }
            if (newestApplied == null || r.version().compareTo(newestApplied) > 0) {
                newestApplied = r.version();
            }
        }
        MigrationVersion newestFile = null;
        for (MigrationRef m : files) {
            if (!m.version().isRepeatable()) {
                newestFile = m.version();
            }
        }
        TreeMap<MigrationVersion, MigrationStatus> all = new TreeMap<>();
        List<MigrationRef> pending = new ArrayList<>();
        List<MigrationStatus> legacy = new ArrayList<>();
        for (MigrationRef m : files) {
            HistoryRow r = rows.get(m.version());
            MigrationState state;
            if (r == null) {
                if (m.version().isRepeatable()) {
                    state = MigrationState.PENDING;
                    pending.add(m);
                } else if (baseline != null && m.version().compareTo(baseline) <= 0) {
                    state = MigrationState.BELOW_BASELINE;
                } else if (newestApplied != null && m.version().compareTo(newestApplied) < 0 && !allowOutOfOrder) {
                    state = MigrationState.OUT_OF_ORDER;
                } else {
                    state = MigrationState.PENDING;
                    pending.add(m);
                }
            } else if (r.status() == HistoryStatus.BASELINE) {
                state = MigrationState.BASELINE;
            } else if (!upMatches(r, m) && m.rerunsOnChange() && r.status() == HistoryStatus.APPLIED) {
                state = MigrationState.CHANGED_RERUN;
                pending.add(m);
            } else if (!upMatches(r, m)) {
                state = r.status() == HistoryStatus.FAILED ? MigrationState.FAILED : MigrationState.CHECKSUM_CHANGED;
            } else if (r.status() == HistoryStatus.FAILED) {
                state = MigrationState.FAILED;
            } else if (r.status() == HistoryStatus.RUNNING) {
                state = MigrationState.PARTIAL;
                pending.add(m);
            } else {
                state = downMatches(r, m) ? MigrationState.APPLIED : MigrationState.DOWN_CHANGED;
            }
            MigrationStatus st = new MigrationStatus(m.version(), m.description(), state, m, r);
            if (r != null && r.legacyChecksum() && r.status() == HistoryStatus.APPLIED && upMatches(r, m)) {
                legacy.add(st);
            }
            all.put(m.version(), st);
        }
        for (HistoryRow r : history) {
            if (!all.containsKey(r.version())) {
                MigrationState state;
                if (r.status() == HistoryStatus.BASELINE) {
                    state = MigrationState.BASELINE;
                } else if (r.status() == HistoryStatus.FAILED) {
                    state = MigrationState.FAILED;
                } else if (r.version().isRepeatable()) {
                    state = MigrationState.MISSING_FILE;
                } else if (newestFile == null || r.version().compareTo(newestFile) > 0) {
                    state = MigrationState.FUTURE;
                } else {
                    state = MigrationState.MISSING_FILE;
                }
                all.put(r.version(), new MigrationStatus(r.version(), r.name(), state, null, r));
            }
        }
        pending.sort((a, b) -> a.version().compareTo(b.version()));
        return new Plan(new ArrayList<>(all.values()), pending, rows, legacy);
    }

    /**
     * True when the applied up section is the file's: by the up checksum, or, in a row an earlier Runway wrote with
     * one whole-migration checksum, by that checksum (also as it was before a down file was added).
     */
    static boolean upMatches(HistoryRow r, MigrationRef m) {
        if (!r.legacyChecksum()) {
            return r.upChecksum().equals(m.upChecksum());
        }
        return r.checksum().equals(m.checksum()) || r.checksum().equals(m.checksumWithoutDownFile());
    }

    /** True when the down section is the one recorded (an older row: when the whole migration is unchanged). */
    static boolean downMatches(HistoryRow r, MigrationRef m) {
        if (!r.legacyChecksum()) {
            return java.util.Objects.equals(r.downChecksum(), m.downChecksum());
        }
        return r.checksum().equals(m.checksum());
    }

    /**
     * Applied rows an earlier Runway wrote with one whole-migration checksum whose up section is verified: they get
     * up and down checksums of their own on the next run that holds the lock.
     */
    public List<MigrationStatus> legacyRowsToUpgrade() {
        return legacyRowsToUpgrade;
    }

    /** Every known version, files and history merged, in version order. */
    public List<MigrationStatus> statuses() {
        return statuses;
    }

    /** What {@code migrate} would run, in order (a partially applied migration resumes). */
    public List<MigrationRef> pending() {
        return pending;
    }

    public HistoryRow row(MigrationVersion v) {
        return rows.get(v);
    }

    /**
     * Migrations applied and still in the files, newest first: what {@code rollback} walks. Repeatable
     * migrations have no down and are not rolled back (as in Flyway).
     */
    public List<MigrationStatus> appliedNewestFirst() {
        List<MigrationStatus> out = new ArrayList<>();
        for (MigrationStatus s : statuses) {
            if (s.version().isRepeatable()) {
                continue;
            }
            if (s.state() == MigrationState.APPLIED || s.state() == MigrationState.DOWN_CHANGED || s.state() == MigrationState.CHECKSUM_CHANGED
                    || s.state() == MigrationState.MISSING_FILE || s.state() == MigrationState.FUTURE) {
                out.add(0, s);
            }
        }
        return out;
    }

    /** Throws {@link ErrorCode#INTEGRITY} for the first problem, with the command that fixes it. */
    public void requireNoProblems() {
        for (MigrationStatus s : statuses) {
            if (!s.state().problem()) {
                continue;
            }
            String file = s.migration() != null ? s.migration().displayName() : s.version() + " (" + s.name() + ")";
            switch (s.state()) {
                case FAILED: {
                    HistoryRow r = s.row();
                    String where = r.statementsTotal() > 0
                            ? " at statement " + (r.statementsDone() + 1) + " of " + r.statementsTotal() : "";
                    throw new RunwayException(ErrorCode.INTEGRITY, file + ": failed" + where + " in an earlier run: "
                            + firstLine(r.error()) + "; fix the cause, then run 'runway repair' to resume it");
                }
                case CHECKSUM_CHANGED:
                    if (s.row().legacyChecksum()) {
                        throw new RunwayException(ErrorCode.INTEGRITY, file + ": changed after it was applied (applied "
                                + s.row().checksum() + ", file " + s.migration().checksum() + "; recorded by an earlier Runway"
                                + " as one checksum of up and down); revert the edit and add a new migration instead. If only its"
                                + " down changed, restore the old down, run 'runway migrate' once (it records up and down apart),"
                                + " then change the down again");
                    }
                    throw new RunwayException(ErrorCode.INTEGRITY, file + ": its up section changed after it was applied (applied "
                            + s.row().upChecksum() + ", file " + s.migration().upChecksum()
                            + "); revert the edit and add a new migration instead");
                case OUT_OF_ORDER:
                    throw new RunwayException(ErrorCode.INTEGRITY, file + ": pending, but older than applied version "
                            + newestApplied() + "; rename it to a newer version, or pass --allow-out-of-order to apply it anyway");
                default:
                    throw new RunwayException(ErrorCode.INTEGRITY, file + ": " + s.state().label());
            }
        }
    }

    private MigrationVersion newestApplied() {
        MigrationVersion v = null;
        for (MigrationVersion k : rows.keySet()) {
            if (!k.isRepeatable() && (v == null || k.compareTo(v) > 0)) {
                v = k;
            }
        }
        return v;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "(no error recorded)";
        }
        int nl = s.indexOf('\n');
        return nl >= 0 ? s.substring(0, nl) : s;
    }
}
