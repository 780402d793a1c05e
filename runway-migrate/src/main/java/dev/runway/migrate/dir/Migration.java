package dev.runway.migrate.dir;

import dev.runway.core.sql.SqlStatement;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One migration as read from the directory, in any of the accepted file formats. Immutable; the
 * statement lists and nolint maps are unmodifiable.
 *
 * @param version             its version
 * @param name                for people: the description with underscores turned into spaces ("add orders status")
 * @param kind                schema or data migration
 * @param file                the file holding the up section (the single file of the native and Flyway formats)
 * @param downFile            the file holding the down section: {@code file} itself for the native format,
 *                            the {@code .down.sql}/{@code down.sql}/{@code U} file otherwise; null if there is none
 * @param up                  the up statements
 * @param down                the down statements; null when there is no down section or file, empty when it is empty
 * @param directives          the directives at the top of the (up) file; their nolints cover the whole migration
 * @param transactionMode     how the up section runs: {@code transaction none} → NONE; only statements that
 *                            cannot run in a transaction → NONE (automatic); the file's own transaction control →
 *                            EXPLICIT (or TRANSACTIONAL for exactly one BEGIN ... COMMIT block); otherwise TRANSACTIONAL
 * @param checksum            {@code sha256:<hex>} of the whole migration (up and down); see
 *                            {@link dev.runway.migrate.dir.internal.Checksums#migration}. Recorded for older Runway
 *                            versions; the integrity check uses {@code upChecksum}. Null, as {@code upChecksum} and
 *                            {@code downChecksum}, for a migration loaded by {@link MigrationDirectory#loadUnhashed}
 * @param description         the description exactly as written in the file name ("add_orders_status")
 * @param downTransactionMode how the down section runs, by the same rules; null when {@code down} is null
 * @param upNolint            the nolints written inside the up section, keyed by the index in {@code up} of the
 *                            statement each one covers (the statement right after it); empty when none
 * @param downNolint          the same for the down section and {@code down}
 * @param upUnits             how the up section splits into units when it runs unit by unit
 *                            ({@link TransactionMode#NONE}: one unit per statement; {@link TransactionMode#EXPLICIT}:
 *                            the file's blocks and the statements between them), or the file's single block and the
 *                            session settings around it ({@link TransactionMode#TRANSACTIONAL} with explicit control);
 *                            empty when Runway wraps the whole section in its own transaction
 * @param downUnits           the same for the down section (empty when there is none)
 * @param layout              the runner the file was written for
 * @param rerunsOnChange      true for a migration that runs again whenever its checksum changes: a Flyway
 *                            {@code R__} file, a Liquibase changeset with {@code runOnChange:true}
 * @param upChecksum          {@code sha256:<hex>} of the up section only: what an applied migration is checked against
 * @param downChecksum        {@code sha256:<hex>} of the down section, recorded apart; null without one
 * @param downProblem         why the down section cannot run as written (a statement that cannot run in a
 *                            transaction next to ones that need one, unbalanced BEGIN/COMMIT), reported when it is
 *                            needed (rollback) rather than when the directory is read: another runner's down that
 *                            never worked must not stop the ups from being applied. Null when it can run; always null
 *                            for Runway's own files, whose problems are errors at once
 */
public record Migration(MigrationVersion version, String name, MigrationKind kind, Path file, Path downFile,
                        List<SqlStatement> up, List<SqlStatement> down, Directives directives,
                        TransactionMode transactionMode, String checksum, String description,
                        TransactionMode downTransactionMode, Map<Integer, List<Nolint>> upNolint,
                        Map<Integer, List<Nolint>> downNolint, List<Unit> upUnits, List<Unit> downUnits, Layout layout,
                        boolean rerunsOnChange, String upChecksum, String downChecksum, String downProblem) {

    public Migration {
        up = List.copyOf(up);
        down = down == null ? null : List.copyOf(down);
        upNolint = copy(upNolint);
        downNolint = copy(downNolint);
        upUnits = List.copyOf(upUnits);
        downUnits = List.copyOf(downUnits);
    }

    private static Map<Integer, List<Nolint>> copy(Map<Integer, List<Nolint>> m) {
        if (m.isEmpty()) {
            return Map.of();
        }
        Map<Integer, List<Nolint>> out = new TreeMap<>();
        for (Map.Entry<Integer, List<Nolint>> e : m.entrySet()) {
            out.put(e.getKey(), List.copyOf(e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The migration's file name relative to its directory, as people know it:
     * {@code 20250301120000_add_orders_status.sql}, {@code 20250301120000_x.up.sql},
     * {@code 20250301120000_x/up.sql}, {@code V1.2__x.sql}, or {@code changelog.sql::author:id} for a Liquibase changeset.
     */
    public String displayName() {
        if (layout == Layout.LIQUIBASE) {
            return file.getFileName() + "::" + description; // one changelog holds many changesets
        }
        String f = file.getFileName().toString();
        Path parent = file.getParent();
        if (f.equals("up.sql") && parent != null && parent.getFileName() != null) {
            return parent.getFileName() + "/" + f;
        }
        return f;
    }

    /** {@link #displayName()} of the file holding the down section ({@code 1_x.down.sql}, {@code 1_x/down.sql}, {@code U1__x.sql}). */
    public String downDisplayName() {
        if (downFile == null || downFile.equals(file)) {
            return displayName();
        }
        String f = downFile.getFileName().toString();
        Path parent = downFile.getParent();
        if (f.equals("down.sql") && parent != null && parent.getFileName() != null) {
            return parent.getFileName() + "/" + f;
        }
        return f;
    }

    /** True when it has a down section (possibly empty), so it can be rolled back. */
    public boolean reversible() {
        return down != null;
    }
}
