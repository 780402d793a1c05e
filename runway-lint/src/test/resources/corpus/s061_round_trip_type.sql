-- expect: none
-- runway:up
CREATE TYPE color AS ENUM ('red', 'green');
CREATE TABLE paints (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, c color);
-- runway:down
DROP TABLE paints;
DROP TYPE color;
