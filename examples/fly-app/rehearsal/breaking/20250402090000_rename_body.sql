-- The control of the rolling-deploy rehearsal: v2's rename done in one step. Every v1 instance
-- still running reads and writes body, and fails from the moment this commits. `runway check`
-- flags it (RW203 rename-column) before anyone deploys it.
-- runway:up
ALTER TABLE notes RENAME COLUMN body TO content;

-- runway:down
ALTER TABLE notes RENAME COLUMN content TO body;
