-- expect: none
ALTER TABLE orders ADD COLUMN attempts int NOT NULL DEFAULT 0;
