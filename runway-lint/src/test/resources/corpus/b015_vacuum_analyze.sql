-- expect: none
-- corpus-note: held-out
VACUUM ANALYZE orders;
