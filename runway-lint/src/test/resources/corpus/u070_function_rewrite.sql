-- expect: RW130
-- corpus-note: dynamic only
CREATE FUNCTION migrate_codes() RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
  EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE bigint', 'orders', 'legacy_code');
END
$f$;
SELECT migrate_codes();
