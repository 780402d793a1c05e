-- expect: RW117
REINDEX TABLE orders;
