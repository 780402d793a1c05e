-- Release v1: the notes table.
-- runway:up
CREATE TABLE notes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner text NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_owner_id ON notes (owner, id);

-- runway:down
DROP TABLE notes;
