-- Release v3, contract: body goes. Safe only because the code running when this is released (v2)
-- no longer reads or writes it; v1 is gone by then (the v2 rollout replaced every instance).
-- runway:nolint RW201 v2, the release running while this applies, reads and writes notes.content only
-- runway:up
DROP TRIGGER notes_fill_text ON notes;
DROP FUNCTION notes_fill_text();
ALTER TABLE notes DROP COLUMN body;

-- runway:down
ALTER TABLE notes ADD COLUMN body text;
CREATE FUNCTION notes_fill_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.content := coalesce(NEW.content, NEW.body);
    NEW.body := coalesce(NEW.body, NEW.content);
    RETURN NEW;
END
$$;
CREATE TRIGGER notes_fill_text BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION notes_fill_text();
