-- expect: RW112, RW400
-- corpus-note: order_totals depends on orders.total: PostgreSQL refuses the change
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,4);
