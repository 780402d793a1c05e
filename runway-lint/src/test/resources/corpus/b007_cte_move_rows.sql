-- expect: RW122
-- corpus-note: held-out
WITH moved AS (DELETE FROM audit WHERE id < 10 RETURNING id, msg) INSERT INTO legacy (id, code) SELECT id, msg FROM moved;
