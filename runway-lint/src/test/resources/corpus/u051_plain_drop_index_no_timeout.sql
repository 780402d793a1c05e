-- expect: RW121, RW102
-- corpus-mode: plain
DROP INDEX orders_status_idx;
