-- +migrate Up
CREATE TABLE project (id serial PRIMARY KEY, key text UNIQUE);

-- +migrate StatementBegin
CREATE FUNCTION project_key_check() RETURNS trigger AS $$
BEGIN
    IF NEW.key !~ '^[A-Z]+$' THEN
        RAISE EXCEPTION 'bad key %', NEW.key;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +migrate StatementEnd

-- +migrate Down
DROP FUNCTION project_key_check();
DROP TABLE project;
