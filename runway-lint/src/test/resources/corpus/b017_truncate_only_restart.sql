-- expect: RW120
-- corpus-note: held-out
TRUNCATE ONLY audit RESTART IDENTITY;
