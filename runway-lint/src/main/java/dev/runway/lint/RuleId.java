package dev.runway.lint;

import dev.runway.core.RunwayException;
import java.util.Locale;

/**
 * Every rule {@code check} knows, declared once: id, short name, title, default severity, the lock
 * it is about, why it hurts and the safe way. The docs ({@code docs/rules/RWnnn.md}), the SARIF rule
 * table and config validation are all driven from here. Ids never change meaning.
 *
 * <p>Families: RW1xx locks and rewrites (RW13x seen only by the trace), RW2xx backward
 * compatibility with the release still running, RW3xx hygiene and transaction structure, RW4xx
 * failures on the scratch database and the down round trip.
 *
 * <p>Where they are raised: the static rules ({@code dev.runway.lint.internal.rules}) raise RW1xx to
 * RW3xx; RW130, RW131 (what the trace saw and no rule explained) and RW400 to RW403 (failures on the
 * scratch database and the round trip) are raised in {@link Merge}, which also adds RW101 and RW2xx
 * findings the trace saw without a static candidate.
 */
public enum RuleId {
    RW101("index-not-concurrent", "Index built without CONCURRENTLY on an existing table", Severity.ERROR,
            "SHARE on the table for the whole build",
            "Blocks INSERT, UPDATE and DELETE until the index is built: minutes on a big table.",
            "CREATE INDEX CONCURRENTLY in its own non-transactional migration; if it fails, DROP INDEX CONCURRENTLY the INVALID index and retry."),
    RW102("drop-index-not-concurrent", "Index dropped without CONCURRENTLY", Severity.WARNING,
            "ACCESS EXCLUSIVE on the table",
            "Short, but it queues behind every open transaction on the table and all later queries queue behind it.",
            "DROP INDEX CONCURRENTLY in its own non-transactional migration."),
    RW103("concurrently-in-transaction", "CONCURRENTLY inside a transaction block", Severity.ERROR,
            null,
            "PostgreSQL refuses CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY in a transaction block: the deploy stops half-way.",
            "Put the statement in a file of its own (Runway then runs it outside a transaction) or add '-- runway:transaction none'."),
    RW104("add-fk-validating", "Foreign key added with validation", Severity.ERROR,
            "SHARE ROW EXCLUSIVE on both tables during a full scan",
            "Writes to the referencing and the referenced table are blocked while every row is checked.",
            "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a later migration (SHARE UPDATE EXCLUSIVE, DML keeps running)."),
    RW105("add-check-validating", "CHECK constraint added with validation", Severity.ERROR,
            "ACCESS EXCLUSIVE during a full scan",
            "Reads and writes are blocked while every row is checked.",
            "ADD CONSTRAINT ... CHECK (...) NOT VALID, then VALIDATE CONSTRAINT in a later migration."),
    RW106("validate-in-same-transaction", "Constraint validated in the transaction that locked the table", Severity.ERROR,
            "the earlier ACCESS EXCLUSIVE / SHARE ROW EXCLUSIVE is held during the scan",
            "Locks are held until commit, so the validation scan runs under the exclusive lock taken by the ADD: the NOT VALID split gains nothing.",
            "Commit between ADD ... NOT VALID and VALIDATE CONSTRAINT: put the VALIDATE in the next migration."),
    RW107("set-not-null-scan", "SET NOT NULL scans the table", Severity.ERROR,
            "ACCESS EXCLUSIVE during a full scan",
            "Reads and writes are blocked while PostgreSQL checks every row for NULLs.",
            "ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; next migration VALIDATE CONSTRAINT c; then SET NOT NULL (no scan, PG12+) and DROP CONSTRAINT c."),
    RW108("add-column-required", "NOT NULL column added without a default", Severity.ERROR,
            "ACCESS EXCLUSIVE",
            "Fails on any non-empty table, and the release still running inserts rows without the column, which now fail.",
            "Add the column nullable (or with a constant default), deploy code that writes it, backfill, then SET NOT NULL with the CHECK recipe."),
    RW109("add-column-volatile-default", "Column added with a volatile default rewrites the table", Severity.ERROR,
            "ACCESS EXCLUSIVE during a table rewrite",
            "A volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval()) is computed per row, so the whole table and its indexes are rewritten while reads and writes wait.",
            "Add the column without a default, then ALTER COLUMN ... SET DEFAULT (new rows only), then backfill old rows in batches."),
    RW110("add-column-generated-stored", "Stored generated column added to an existing table", Severity.ERROR,
            "ACCESS EXCLUSIVE during a table rewrite",
            "Every row is rewritten to store the computed value.",
            "Add a nullable column, fill it with a trigger for new rows and a batched backfill for old ones."),
    RW111("add-column-serial", "Serial or identity column added to an existing table", Severity.ERROR,
            "ACCESS EXCLUSIVE during a table rewrite",
            "Every existing row gets a value from the sequence: a full rewrite while reads and writes wait.",
            "Add a nullable bigint column, create the sequence and SET DEFAULT nextval(...), backfill old rows in batches."),
    RW112("column-type-rewrite", "Column type change rewrites the table", Severity.ERROR,
            "ACCESS EXCLUSIVE during a table and index rewrite",
            "The table and all its indexes are rewritten while reads and writes wait; the release still running may not understand the new type.",
            "Expand and contract: add a column of the new type, dual-write (trigger), backfill in batches, switch reads, drop the old column. Widening varchar, varchar to text and numeric precision up do not rewrite."),
    RW113("unique-constraint-without-index", "UNIQUE constraint built under ACCESS EXCLUSIVE", Severity.ERROR,
            "ACCESS EXCLUSIVE during the index build",
            "The unique index is built while reads and writes wait.",
            "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX (a brief lock)."),
    RW114("primary-key-without-index", "PRIMARY KEY built under ACCESS EXCLUSIVE", Severity.ERROR,
            "ACCESS EXCLUSIVE during the index build and NOT NULL scan",
            "The index is built, and the columns are checked for NULLs, while reads and writes wait.",
            "Make the columns NOT NULL with the CHECK recipe, CREATE UNIQUE INDEX CONCURRENTLY, then ADD PRIMARY KEY USING INDEX."),
    RW115("exclusion-constraint", "Exclusion constraint added to an existing table", Severity.ERROR,
            "ACCESS EXCLUSIVE during the index build",
            "The GiST index is built while reads and writes wait, and there is no NOT VALID or USING INDEX form.",
            "Build the constrained data in a new table, or schedule a maintenance window."),
    RW116("table-rewrite", "Statement rewrites a whole table", Severity.ERROR,
            "ACCESS EXCLUSIVE during a table rewrite",
            "VACUUM FULL, CLUSTER, SET LOGGED/UNLOGGED, SET ACCESS METHOD and SET TABLESPACE copy the whole table while reads and writes wait.",
            "pg_repack or pg_squeeze online; REPACK (CONCURRENTLY) from PostgreSQL 19; otherwise a maintenance window."),
    RW117("reindex-not-concurrent", "REINDEX without CONCURRENTLY", Severity.ERROR,
            "SHARE on the table, ACCESS EXCLUSIVE on the index",
            "Writes are blocked, and reads that would use the index wait, for the whole rebuild.",
            "REINDEX ... CONCURRENTLY (PostgreSQL 12+) in its own non-transactional migration."),
    RW118("refresh-matview-not-concurrent", "REFRESH MATERIALIZED VIEW without CONCURRENTLY", Severity.ERROR,
            "ACCESS EXCLUSIVE on the materialized view",
            "Every reader of the view waits for the whole refresh.",
            "REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view; readers keep reading)."),
    RW119("detach-partition-not-concurrent", "DETACH PARTITION without CONCURRENTLY", Severity.ERROR,
            "ACCESS EXCLUSIVE on the partitioned table and the partition",
            "All access to the partitioned table is blocked while the lock is awaited and held.",
            "ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+) in its own non-transactional migration."),
    RW120("truncate", "TRUNCATE of an existing table", Severity.ERROR,
            "ACCESS EXCLUSIVE on the table",
            "Deletes every row (no WHERE, no undo once committed) and blocks all access meanwhile.",
            "A batched DELETE in a data migration, or drop the table in a contract migration after the code stopped using it."),
    RW121("missing-lock-timeout", "No lock_timeout before a statement that blocks traffic", Severity.ERROR,
            "any lock that conflicts with reads or writes",
            "A DDL statement waiting for its lock blocks every later query on the table, even if the statement itself is instant.",
            "SET lock_timeout = '1s' (or SET LOCAL inside the transaction) before the first such statement, and retry on SQLSTATE 55P03. Runway's runner does this for you (--mode runway)."),
    RW122("data-change-in-schema-migration", "Data change inside a schema migration", Severity.ERROR,
            "ROW EXCLUSIVE plus a row lock on every touched row, held until commit together with any DDL lock",
            "One long transaction: concurrent updates of those rows wait, vacuum is held back, replicas lag, and any DDL lock in the same migration is held throughout.",
            "A data migration (migrations/data/, '-- runway:backfill table=... key=... batch=...'): keyset batches, one short transaction each, throttled on replica lag."),
    RW130("rewrite-observed", "Statement rewrote an existing table (seen by the trace)", Severity.ERROR,
            "ACCESS EXCLUSIVE during a table rewrite",
            "The table's storage was replaced (relfilenode changed): the whole table is copied while reads and writes wait.",
            "Find the rewriting step (a function or DO block may hide it) and use its online alternative: see the RW1xx rules."),
    RW131("scan-under-lock-observed", "Statement scanned an existing table under a blocking lock (seen by the trace)", Severity.ERROR,
            "a lock that blocks writes, held during a full scan",
            "A validation scan ran while writes (and maybe reads) were blocked.",
            "Split the change: add constraints NOT VALID and VALIDATE them in a later migration."),
    RW201("drop-column", "Column dropped while the running release may still use it", Severity.ERROR,
            "ACCESS EXCLUSIVE, brief",
            "The previous release, still serving traffic during a rolling deploy, selects or inserts the column and fails; the data is gone.",
            "Contract phase: first deploy code that no longer reads or writes the column (e.g. ignore it in the ORM), then drop it in a later release."),
    RW202("drop-table", "Table dropped while the running release may still use it", Severity.ERROR,
            "ACCESS EXCLUSIVE, brief",
            "The previous release still queries the table and fails; the data is gone.",
            "Contract phase: deploy code that no longer uses the table, check it is unused, then drop it in a later release."),
    RW203("rename-column", "Column renamed while the running release uses the old name", Severity.ERROR,
            "ACCESS EXCLUSIVE, brief",
            "The previous release still uses the old name and fails immediately.",
            "Expand, backfill, contract: add the new column, dual-write, backfill, switch reads, drop the old one later; or keep the name and map it in the ORM."),
    RW204("rename-table", "Table renamed while the running release uses the old name", Severity.ERROR,
            "ACCESS EXCLUSIVE, brief",
            "The previous release still uses the old name and fails immediately.",
            "Rename and create a view with the old name in the same migration (simple views are updatable), drop the view in a later release."),
    RW205("rename-enum-value", "Enum value renamed while the running release uses it", Severity.ERROR,
            null,
            "The previous release writes or compares the old label and fails or silently mismatches.",
            "ADD VALUE the new label, handle both in code, backfill rows, stop using the old label; enum values cannot be removed."),
    RW301("int-key", "32-bit integer key", Severity.WARNING,
            null,
            "serial/integer keys overflow at 2,147,483,647; the fix later is an int to bigint change that rewrites the table.",
            "bigint GENERATED ALWAYS AS IDENTITY (or bigserial)."),
    RW302("transaction-control-in-runway-file", "BEGIN/COMMIT split a Runway migration into several transactions", Severity.WARNING,
            null,
            "Runway runs a file that manages its own transactions as written, unit by unit (each block, each statement between blocks) with lock_timeout and retries per unit; a failure in a later unit leaves the earlier units applied, recorded as a failed migration that 'runway repair' resumes.",
            "One BEGIN ... COMMIT block (it becomes Runway's transaction), or no transaction control at all; put steps that must not share a transaction (CREATE INDEX CONCURRENTLY) in their own migration."),
    RW303("uncommitted-transaction", "BEGIN without COMMIT", Severity.ERROR,
            null,
            "The runner closes the session and the whole file is silently rolled back.",
            "End the transaction with COMMIT."),
    RW400("up-fails", "Up section fails on the scratch database", Severity.ERROR,
            null,
            "The migration fails on a database with the schema of the earlier migrations (or of the target with --against): the release would stop here.",
            "Fix the statement named in the message; run 'runway check' again."),
    RW401("down-fails", "Down section fails after up", Severity.ERROR,
            null,
            "A rollback in an incident would fail exactly when it is needed.",
            "Fix the down section so that it undoes the up section; 'runway check' replays up, down, up on a scratch database."),
    RW402("up-fails-after-down", "Up section fails after down", Severity.ERROR,
            null,
            "The down section does not undo everything the up section did, so re-applying fails.",
            "Make the down section remove everything the up section creates."),
    RW403("round-trip-differs", "Schema after up, down, up differs from after up", Severity.ERROR,
            null,
            "The down section leaves something behind or removes too much, so a rollback and redeploy end in a different schema.",
            "Make the down section the exact inverse of the up section.");

    /** {@link #values()} once: each call of it copies the array. */
    private static final RuleId[] ALL = values();

    private final String slug;
    private final String title;
    private final Severity severity;
    private final String lock;
    private final String why;
    private final String safe;

    RuleId(String slug, String title, Severity severity, String lock, String why, String safe) {
        this.slug = slug;
        this.title = title;
        this.severity = severity;
        this.lock = lock;
        this.why = why;
        this.safe = safe;
    }

    public String id() {
        return name();
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public Severity defaultSeverity() {
        return severity;
    }

    /** The lock this rule is about, or null. */
    public String lock() {
        return lock;
    }

    public String why() {
        return why;
    }

    public String safeAlternative() {
        return safe;
    }

    /** Relative path of its documentation page from the repository root. */
    public String docPath() {
        return "docs/rules/" + name() + ".md";
    }

    /** The rule named {@code id} ("RW101", case-insensitive, or its slug), or null. */
    public static RuleId find(String id) {
        String s = id.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        for (RuleId r : ALL) {
            if (r.name().equalsIgnoreCase(s) || r.slug.equals(lower)) {
                return r;
            }
        }
        return null;
    }

    /** Like {@link #find} but a USAGE error naming {@code where} for an unknown id. */
    public static RuleId parse(String id, String where) {
        RuleId r = find(id);
        if (r == null) {
            throw RunwayException.usage(where + ": unknown rule '" + id + "' (rules are RW101..RW403, see docs/check.md)");
        }
        return r;
    }
}
