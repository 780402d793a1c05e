/**
 * The engine's side of batched backfills (docs/backfill.md): the {@link dev.runway.migrate.backfill.BackfillRunner}
 * hook a caller supplies for data migrations that carry {@code -- runway:backfill}, the
 * {@link dev.runway.migrate.backfill.BackfillRun} it receives and the progress it reports. The batching
 * itself lives in {@code runway-backfill}.
 */
package dev.runway.migrate.backfill;
