-- expect: RW117
REINDEX INDEX orders_status_idx;
