-- expect: none
-- corpus-note: held-out
CREATE TABLE hot (id bigint PRIMARY KEY);
CLUSTER hot USING hot_pkey;
