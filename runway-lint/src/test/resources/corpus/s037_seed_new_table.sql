-- expect: none
CREATE TABLE countries (code text PRIMARY KEY, name text NOT NULL);
INSERT INTO countries VALUES ('no', 'Norway'), ('se', 'Sweden');
UPDATE countries SET name = upper(name);
