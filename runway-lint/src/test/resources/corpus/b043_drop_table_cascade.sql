-- expect: RW202
-- corpus-note: held-out
DROP TABLE IF EXISTS legacy_nopk CASCADE;
