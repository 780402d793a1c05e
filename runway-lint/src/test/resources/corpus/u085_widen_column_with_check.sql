-- expect: RW131
-- corpus-note: no rewrite, but the CHECK (email IS NOT NULL) is re-verified by a full scan under ACCESS EXCLUSIVE: found by the trace, relabelled
ALTER TABLE users ALTER COLUMN email TYPE varchar(200);
