-- expect: none
-- corpus-note: held-out
CREATE MATERIALIZED VIEW IF NOT EXISTS big_orders AS SELECT id FROM orders WHERE total > 100;
