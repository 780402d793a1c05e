-- Release v2, expand: the text moves from body to content without a moment where either release
-- breaks. v1 (still running until every instance is rolled) writes body; v2 writes content; the
-- trigger fills the other one on insert, so both releases read complete rows. Existing rows get
-- content from the backfill (data/20250402090100_backfill_notes_content.sql), which the release
-- command runs before any v2 instance starts.
-- runway:up
ALTER TABLE notes ADD COLUMN content text;
CREATE FUNCTION notes_fill_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.content := coalesce(NEW.content, NEW.body);
    NEW.body := coalesce(NEW.body, NEW.content);
    RETURN NEW;
END
$$;
CREATE TRIGGER notes_fill_text BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION notes_fill_text();

-- runway:down
DROP TRIGGER notes_fill_text ON notes;
DROP FUNCTION notes_fill_text();
ALTER TABLE notes DROP COLUMN content;
