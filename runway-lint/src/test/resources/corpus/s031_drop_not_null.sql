-- expect: none
ALTER TABLE legacy ALTER COLUMN id DROP NOT NULL;
