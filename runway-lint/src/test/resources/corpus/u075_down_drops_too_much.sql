-- expect: RW403
-- runway:up
CREATE TABLE IF NOT EXISTS badges (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);
-- runway:down
DROP TABLE badges;
ALTER TABLE legacy DROP COLUMN code;
