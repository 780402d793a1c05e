-- runway:up
ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';
-- runway:down
ALTER TABLE users DROP COLUMN plan;
