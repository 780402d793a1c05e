-- expect: RW114
ALTER TABLE legacy_nopk ADD COLUMN uid bigint PRIMARY KEY;
