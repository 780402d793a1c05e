-- expect: none
-- corpus-note: held-out
ANALYZE orders;
