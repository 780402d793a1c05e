-- +goose Up
CREATE TABLE post (id bigserial PRIMARY KEY, title text, body text);

-- +goose StatementBegin
CREATE FUNCTION post_title_upper() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.title := upper(NEW.title);
    RETURN NEW;
END
$$
-- +goose StatementEnd
CREATE TRIGGER post_title BEFORE INSERT ON post FOR EACH ROW EXECUTE FUNCTION post_title_upper();

-- +goose Down
DROP TABLE post;
DROP FUNCTION post_title_upper();
