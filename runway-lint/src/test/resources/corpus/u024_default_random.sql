-- expect: RW109
ALTER TABLE users ADD COLUMN bucket float8 DEFAULT random();
