-- header comment; with semicolon
/* block /* nested ; */ still ; comment */
SELECT 1 AS "semi;colon", 'it''s; fine', E'esc\'aped; \\', U&'d\0061t;a', $$dollar; body$$, $fn$ x $inner$ ; $inner$ $fn$;
CREATE OR REPLACE FUNCTION f1() RETURNS int AS $body$
BEGIN
  RETURN 1; -- ; inside
END;
$body$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION f2(a int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;
  SELECT 2;
END;
CREATE TABLE IF NOT EXISTS r1 (a int);
CREATE TABLE IF NOT EXISTS r2 (a int);
CREATE OR REPLACE RULE rr AS ON INSERT TO r1 DO ALSO (INSERT INTO r2 VALUES (NEW.a); INSERT INTO r2 VALUES (NEW.a + 1));
DO $$ BEGIN RAISE NOTICE 'x;y'; END $$;
SELECT '{"a":1}'::jsonb ? 'a', '{"a":1}'::jsonb ?| array['a'], '{"a":1}'::jsonb ?& array['a'];
PREPARE pp(int) AS SELECT $1 + 1;
EXECUTE pp(1);
SELECT 1 -- trailing ; comment
;
SELECT ($$;$$);
SELECT "a""b;" FROM (SELECT 1 AS "a""b;") s;
SELECT 2
