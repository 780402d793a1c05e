-- expect: RW101
-- corpus-note: dynamic only
CREATE PROCEDURE add_idx() LANGUAGE plpgsql AS $p$
BEGIN
  EXECUTE 'CREATE INDEX audit_at_idx ON audit (at)';
END
$p$;
CALL add_idx();
