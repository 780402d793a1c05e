package dev.runway.lint.docs;

import dev.runway.lint.Finding;
import dev.runway.lint.LintConfig;
import dev.runway.lint.Mode;
import dev.runway.lint.RuleId;
import dev.runway.lint.StaticGate;
import dev.runway.lint.internal.source.SqlFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes docs/rules/RWnnn.md, one page per rule, from {@link RuleId} (title, lock, why, safe way),
 * the text below (what it catches) and two corpus files (flagged and safe) with the real finding the
 * static rules print for the flagged one. Run: {@code RuleDocs.main} with the module as working
 * directory; {@link RuleDocsTest} fails when a page is out of date.
 */
public final class RuleDocs {
    static final Path OUT = Path.of("../docs/rules");
    static final Path CORPUS = Path.of("src/test/resources/corpus");

    /** What each rule catches, and its flagged and safe corpus examples. */
    private static final Map<RuleId, String[]> PAGES = Map.ofEntries(
            Map.entry(RuleId.RW101, new String[] {"`CREATE [UNIQUE] INDEX` without `CONCURRENTLY` on a table that existed before the migration, also inside `DO` blocks and `EXECUTE` strings; the trace also reports any SHARE lock a function call takes on an existing table. Not flagged: tables created in the same migration, `CREATE INDEX ... ON ONLY parent` (catalog only).", "u001_index_orders.sql", "s006_create_index_concurrently.sql"}),
            Map.entry(RuleId.RW102, new String[] {"`DROP INDEX` without `CONCURRENTLY`, unless every index dropped belongs to a table created in the same migration.", "u005_drop_index.sql", "s007_drop_index_concurrently.sql"}),
            Map.entry(RuleId.RW103, new String[] {"`CREATE/DROP INDEX CONCURRENTLY`, `REINDEX CONCURRENTLY` and `DETACH PARTITION CONCURRENTLY` where they would run in a transaction block: a plain-mode file inside `BEGIN ... COMMIT`, a `DO` block, or a file Runway runs in one transaction. (In Runway mode the migration loader already refuses a file that mixes them with transactional statements, exit 2.)", "u008_concurrently_in_begin.sql", "s041_plain_cic.sql"}),
            Map.entry(RuleId.RW104, new String[] {"`ADD [CONSTRAINT] FOREIGN KEY` without `NOT VALID` on an existing table, and `ADD COLUMN ... REFERENCES` with a non-NULL default. The trace confirms it by the scan of the referencing table. Not flagged: `ADD COLUMN ... REFERENCES` without a default (all NULL, PostgreSQL marks it valid without scanning), FKs in `CREATE TABLE`.", "u009_add_fk.sql", "s008_fk_not_valid.sql"}),
            Map.entry(RuleId.RW105, new String[] {"`ADD CONSTRAINT ... CHECK` without `NOT VALID` on an existing table, and `ADD COLUMN` with an inline `CHECK`. Confirmed by the trace's scan counter.", "u012_add_check.sql", "s010_check_not_valid.sql"}),
            Map.entry(RuleId.RW106, new String[] {"`VALIDATE CONSTRAINT` in the same transaction as the `ADD ... NOT VALID` of that constraint, or after any statement of the transaction that took a write-blocking lock on the table. `VALIDATE` first and `SET NOT NULL` after it, in one transaction, is fine (the exclusive lock comes last).", "u014_check_not_valid_validate_same_tx.sql", "s009_validate_alone.sql"}),
            Map.entry(RuleId.RW107, new String[] {"`ALTER COLUMN ... SET NOT NULL` on an existing table unless a validated `CHECK (col IS NOT NULL)` exists (learned from earlier migrations, or seen by the trace on the scratch catalog: PostgreSQL 12+ then skips the scan).", "u017_set_not_null.sql", "s011_set_not_null_with_validated_check.sql"}),
            Map.entry(RuleId.RW108, new String[] {"`ADD COLUMN ... NOT NULL` without a default (and not identity, serial or generated) on an existing table.", "u020_add_column_not_null.sql", "s047_not_null_const_default.sql"}),
            Map.entry(RuleId.RW109, new String[] {"`ADD COLUMN ... DEFAULT expr` where expr is volatile (random(), gen_random_uuid(), clock_timestamp(), nextval(), ...) or an unknown function; every default before PostgreSQL 11. The trace keeps the finding only if the table's relfilenode changed. Not flagged: constants and stable functions such as now() (catalog-only since PostgreSQL 11).", "u022_default_uuid.sql", "s005_add_column_now_default.sql"}),
            Map.entry(RuleId.RW110, new String[] {"`ADD COLUMN ... GENERATED ALWAYS AS (...) STORED` on an existing table.", "u025_generated_stored.sql", "s002_add_nullable_column.sql"}),
            Map.entry(RuleId.RW111, new String[] {"`ADD COLUMN` of type serial/bigserial/smallserial, or `GENERATED ... AS IDENTITY`, on an existing table.", "u026_add_bigserial.sql", "s070_identity_on_new_table.sql"}),
            Map.entry(RuleId.RW112, new String[] {"`ALTER COLUMN ... TYPE` that rewrites: known rewriting pairs and unknown old types statically; with the trace, only when relfilenode changed. Not flagged: varchar widening, varchar to text, numeric precision up at the same scale, the same type (and timestamp to timestamptz when the target's TimeZone is UTC, seen with --against).", "u028_int_to_bigint.sql", "s012_varchar_widen.sql"}),
            Map.entry(RuleId.RW113, new String[] {"`ADD CONSTRAINT ... UNIQUE (...)` (not `USING INDEX`) and `ADD COLUMN ... UNIQUE` on an existing table.", "u034_add_unique_constraint.sql", "s027_unique_using_index.sql"}),
            Map.entry(RuleId.RW114, new String[] {"`ADD PRIMARY KEY (...)` (not `USING INDEX`) and `ADD COLUMN ... PRIMARY KEY` on an existing table.", "u036_add_primary_key.sql", "s028_pk_using_index.sql"}),
            Map.entry(RuleId.RW115, new String[] {"`ADD CONSTRAINT ... EXCLUDE` on an existing table.", "u037_exclusion.sql", "s001_create_table.sql"}),
            Map.entry(RuleId.RW116, new String[] {"`VACUUM FULL`, `CLUSTER`, `ALTER TABLE ... SET LOGGED | UNLOGGED | ACCESS METHOD | TABLESPACE` on existing tables.", "u038_vacuum_full.sql", "s054_fillfactor.sql"}),
            Map.entry(RuleId.RW117, new String[] {"`REINDEX INDEX | TABLE` without `CONCURRENTLY` (PostgreSQL 12+, where the online form exists).", "u042_reindex_table.sql", "s025_reindex_concurrently.sql"}),
            Map.entry(RuleId.RW118, new String[] {"`REFRESH MATERIALIZED VIEW` without `CONCURRENTLY` on a view that existed before the migration.", "u044_refresh_matview.sql", "s024_refresh_concurrently.sql"}),
            Map.entry(RuleId.RW119, new String[] {"`ALTER TABLE ... DETACH PARTITION` without `CONCURRENTLY` (PostgreSQL 14+).", "u046_detach_partition.sql", "s026_detach_concurrently.sql"}),
            Map.entry(RuleId.RW120, new String[] {"`TRUNCATE` of a table that existed before the migration (also in `DO` blocks).", "u047_truncate.sql", "s063_truncate_new_table.sql"}),
            Map.entry(RuleId.RW121, new String[] {"Plain mode only (`--mode plain`): the first statement that takes a lock conflicting with ordinary reads or writes on an existing table, when no `SET [LOCAL] lock_timeout` came before it. Never in Runway mode: Runway sets lock_timeout on every migration and retries on SQLSTATE 55P03. Statements that take only SHARE UPDATE EXCLUSIVE (VALIDATE, CONCURRENTLY, SET STATISTICS) do not need it.", "u050_plain_no_lock_timeout.sql", "s040_plain_with_timeout.sql"}),
            Map.entry(RuleId.RW122, new String[] {"`UPDATE`, `DELETE`, `MERGE`, `COPY` and `INSERT ... SELECT` on tables that existed before the migration. Not flagged: `INSERT ... VALUES` seed rows, data changes on tables created in the same migration.", "u053_backfill_in_schema.sql", "s037_seed_new_table.sql"}),
            Map.entry(RuleId.RW130, new String[] {"Trace only: a statement (typically a function call or procedure) after which an existing table has a new relfilenode, when no static rule explains it.", "u070_function_rewrite.sql", "s019_create_function.sql"}),
            Map.entry(RuleId.RW131, new String[] {"Trace only: a statement after which an existing table's `pg_stat_xact_user_tables.seq_scan` grew while this transaction held SHARE or stronger on it, when no static rule explains it. It also finds what looks harmless: widening a varchar column that a CHECK constraint uses re-verifies the constraint with a full scan.", "u071_function_not_null.sql", "s045_varchar_widen_title.sql"}),
            Map.entry(RuleId.RW201, new String[] {"`ALTER TABLE ... DROP [COLUMN]` on an existing table; with the trace, also a column that disappears from the catalog during a DO block or function call.", "u057_drop_column.sql", "s071_cic_nolint_reasoned.sql"}),
            Map.entry(RuleId.RW202, new String[] {"`DROP TABLE` of a table that existed before the migration (and tables dropped inside opaque statements, seen by the trace).", "u060_drop_table.sql", "s062_drop_new_table.sql"}),
            Map.entry(RuleId.RW203, new String[] {"`ALTER TABLE ... RENAME [COLUMN] a TO b` on an existing table (and renames the trace sees in the catalog).", "u062_rename_column.sql", "s056_rename_constraint.sql"}),
            Map.entry(RuleId.RW204, new String[] {"`ALTER TABLE ... RENAME TO` an existing table, unless the same migration creates a view with the old name.", "u064_rename_table.sql", "s032_rename_with_view.sql"}),
            Map.entry(RuleId.RW205, new String[] {"`ALTER TYPE ... RENAME VALUE` (and labels the trace sees change).", "u065_rename_enum_value.sql", "s021_enum_add_value.sql"}),
            Map.entry(RuleId.RW301, new String[] {"`CREATE TABLE` columns of a 32-bit type (serial, int, integer, smallint) that are primary keys, identity or serial.", "u066_serial_pk.sql", "s001_create_table.sql"}),
            Map.entry(RuleId.RW302, new String[] {"Runway mode: transaction control that splits a migration into several units: several `BEGIN ... COMMIT` blocks, statements between blocks, a block ending in `ROLLBACK`, the `COMMIT; ... BEGIN;` escape. One block with only session settings around it is Runway's transaction and is not flagged; `SAVEPOINT`/`RELEASE`/`ROLLBACK TO` inside Runway's transaction neither. Unbalanced control (a `BEGIN` never committed, a `COMMIT` with nothing open) is bad input: exit 2 naming `file:line`, as `migrate` does.", "u068_commit_in_runway_file.sql", "s042_plain_tx_local_timeout.sql"}),
            Map.entry(RuleId.RW303, new String[] {"Plain mode: a `BEGIN` with no `COMMIT`/`ROLLBACK` after it in the file.", "u069_uncommitted.sql", "s042_plain_tx_local_timeout.sql"}),
            Map.entry(RuleId.RW400, new String[] {"Trace only: a statement of the up section fails on the scratch database (which has the schema of the earlier migrations, or of the target with --against). The finding names the statement and PostgreSQL's error.", "u084_type_of_column_in_view.sql", "s014_numeric_precision_up.sql"}),
            Map.entry(RuleId.RW401, new String[] {"Round trip: after up, a statement of the down section fails; the finding names it and the error.", "u073_down_fails.sql", "s059_round_trip_ok.sql"}),
            Map.entry(RuleId.RW402, new String[] {"Round trip: after up and down, a statement of the up section fails again (typically an object the down section forgot to drop).", "u074_down_missing_drop.sql", "s060_round_trip_table.sql"}),
            Map.entry(RuleId.RW403, new String[] {"Round trip: up, down and up all succeed, but the schema differs from after the first up (columns with types, NOT NULL and defaults, constraints and their validation, indexes, enum labels, domains, functions); the finding lists the first differences.", "u075_down_drops_too_much.sql", "s061_round_trip_type.sql"}));

    private RuleDocs() {
    }

    public static void main(String[] args) throws IOException {
        Files.createDirectories(OUT);
        for (RuleId r : RuleId.values()) {
            Files.writeString(OUT.resolve(r.id() + ".md"), page(r));
        }
        System.out.println("wrote " + RuleId.values().length + " pages to " + OUT.toAbsolutePath().normalize());
    }

    static String page(RuleId r) throws IOException {
        String[] p = PAGES.get(r);
        StringBuilder b = new StringBuilder();
        b.append("# ").append(r.id()).append(" ").append(r.slug()).append("\n\n")
                .append("**").append(r.title()).append(".** Default severity: ").append(r.defaultSeverity().label())
                .append(". Family: ").append(family(r)).append(".\n\n")
                .append("## What it catches\n\n").append(p[0]).append("\n\n")
                .append("## Lock\n\n").append(r.lock() == null ? "No table lock is the problem here." : r.lock() + ".").append("\n\n")
                .append("## Why it hurts\n\n").append(r.why()).append("\n\n")
                .append("## The safe way\n\n").append(r.safeAlternative()).append("\n\n")
                .append("## Example\n\n").append("Both files are from the labelled corpus and run against its base schema (`corpus-base.sql`: empty"
                        + " tables users, orders, products, ...; users has a validated `CHECK (email IS NOT NULL)`).\n\nFlagged (`runway-lint/src/test/resources/corpus/").append(p[1]).append("`):\n\n")
                .append("```sql\n").append(body(p[1])).append("```\n\n");
        String out = staticFinding(r, p[1]);
        if (out != null) {
            b.append("`runway check --static` says:\n\n```\n").append(out).append("```\n\n");
        } else {
            b.append("Only the trace on a scratch database sees this one (`runway check` without `--static`).\n\n");
        }
        b.append("Safe (`corpus/").append(p[2]).append("`, no findings):\n\n```sql\n").append(body(p[2])).append("```\n\n")
                .append("## Suppress\n\nWith a reason (required): in the file header, for the whole file,\n\n```sql\n-- runway:nolint ").append(r.id())
                .append(" <why this is safe here>\n-- runway:up\n```\n\n");
        if (r != RuleId.RW403) { // a finding about the whole file, not a statement
            b.append("or on its own line right before one statement (up or down section), for that statement only,\n\n```sql\n"
                    + "-- runway:nolint ").append(r.id()).append(" <why this is safe here>\n<the statement>\n```\n\n");
        }
        b.append("or for the whole project in runway.toml: `[lint] disable = [\"")
                .append(r.id()).append("\"]`, or `[lint.severity] ").append(r.id()).append(" = \"warning\"`.\n");
        return b.toString();
    }

    private static String family(RuleId r) {
        switch (r.id().charAt(2)) {
            case '1': return r.id().startsWith("RW13") ? "locks and rewrites, seen by the trace" : "locks and rewrites";
            case '2': return "backward compatibility with the release still running";
            case '3': return "hygiene and transaction structure";
            default: return "failures on the scratch database and the down round trip";
        }
    }

    /** The corpus file without its label comments. */
    static String body(String file) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String line : Files.readAllLines(CORPUS.resolve(file))) {
            if (!line.startsWith("-- expect:") && !line.startsWith("-- corpus-")) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    private static String staticFinding(RuleId r, String file) throws IOException {
        String text = Files.readString(CORPUS.resolve(file));
        Mode mode = text.contains("-- corpus-mode: plain") ? Mode.PLAIN : Mode.RUNWAY;
        List<Finding> fs = StaticGate.checkAll(List.of(SqlFiles.read(Path.of("src/test/resources/corpus-base.sql"), "base.sql")),
                List.of(SqlFiles.parse(text, "migrations/" + file)), LintConfig.builder().mode(mode).build());
        for (Finding f : fs) {
            if (f.rule().equals(r.id())) {
                return f.location() + ": " + f.severity().label() + " " + f.rule() + " " + r.slug() + ": " + f.message() + "\n"
                        + (f.lock() == null ? "" : "    lock:   " + f.lock() + "\n") + "    safe:   " + f.safeAlternative() + "\n";
            }
        }
        return null;
    }
}
