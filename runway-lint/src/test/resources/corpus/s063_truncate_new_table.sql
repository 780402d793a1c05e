-- expect: none
CREATE TABLE staging (id bigint, v text);
TRUNCATE staging;
