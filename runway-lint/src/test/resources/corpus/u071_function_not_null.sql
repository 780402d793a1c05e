-- expect: RW131
-- corpus-note: dynamic only
CREATE FUNCTION tighten() RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
  EXECUTE 'ALTER TABLE users ALTER COLUMN ' || quote_ident('plan') || ' SET NOT NULL';
END
$f$;
SELECT tighten();
