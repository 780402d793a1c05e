-- runway:lock-timeout 3s
-- runway:up
-- Nullable, no default: a catalog-only change, safe on a hot table.
ALTER TABLE orders ADD COLUMN status text;

-- runway:down
ALTER TABLE orders DROP COLUMN status;
