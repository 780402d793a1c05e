-- expect: none
CREATE TABLE plans (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);
ALTER TABLE plans ADD COLUMN price numeric NOT NULL;
ALTER TABLE plans ALTER COLUMN name SET NOT NULL;
ALTER TABLE plans ADD CONSTRAINT plans_name_key UNIQUE (name);
