-- Release v2: copy body to content for the rows written before the expand migration, batch by
-- batch (docs/backfill.md). New rows already have it (trigger).
-- runway:backfill table=notes key=id batch=2000 max-lag=2s
-- runway:up
UPDATE notes SET content = body WHERE id >= :lo AND id < :hi AND content IS NULL;
