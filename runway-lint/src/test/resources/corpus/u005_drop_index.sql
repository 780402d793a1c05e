-- expect: RW102
DROP INDEX orders_status_idx;
