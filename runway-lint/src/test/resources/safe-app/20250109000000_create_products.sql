-- runway:up
CREATE TABLE products (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sku text NOT NULL, title varchar(100));
-- runway:down
DROP TABLE products;
