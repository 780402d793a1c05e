-- expect: none
ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT 'en'::text;
