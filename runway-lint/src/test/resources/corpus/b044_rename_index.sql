-- expect: none
-- corpus-note: held-out
ALTER INDEX orders_status_idx RENAME TO orders_by_status_idx;
