CREATE TABLE app_user (id serial PRIMARY KEY, login text NOT NULL, updated_at timestamptz);
CREATE TRIGGER app_user_touch BEFORE UPDATE ON app_user FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
