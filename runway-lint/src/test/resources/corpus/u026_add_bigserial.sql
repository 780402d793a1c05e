-- expect: RW111
ALTER TABLE legacy_nopk ADD COLUMN seq bigserial;
