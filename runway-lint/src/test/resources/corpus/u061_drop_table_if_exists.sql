-- expect: RW202
DROP TABLE IF EXISTS legacy_nopk;
