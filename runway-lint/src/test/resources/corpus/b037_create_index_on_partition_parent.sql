-- expect: RW101
-- corpus-note: held-out
CREATE INDEX events_at_idx ON events (at);
