/**
 * Batched, resumable, lag-throttled backfills (docs/backfill.md): {@link dev.runway.backfill.Backfiller}
 * is the {@link dev.runway.migrate.backfill.BackfillRunner} that {@code runway data migrate} and
 * {@code Runway.migrateData(options, listener, runner)} use for data migrations carrying
 * {@code -- runway:backfill}, configured by {@link dev.runway.backfill.BackfillConfig} (replicas to watch,
 * class loader); {@link dev.runway.backfill.BackfillSpec} is the parsed directive and
 * {@link dev.runway.backfill.BackfillCheckpoint} the saved position. {@link dev.runway.backfill.JavaBackfill}
 * and {@link dev.runway.backfill.BackfillBatch} are the interface of backfills written in Java. The
 * {@code internal} package (key resolution and walk, placeholders, batch sizing, replica lag, the
 * checkpoint table) is not API.
 */
package dev.runway.backfill;
