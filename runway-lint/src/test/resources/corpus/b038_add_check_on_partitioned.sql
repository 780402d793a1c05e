-- expect: RW105
-- corpus-note: held-out
ALTER TABLE events ADD CONSTRAINT events_kind_ok CHECK (kind <> '');
