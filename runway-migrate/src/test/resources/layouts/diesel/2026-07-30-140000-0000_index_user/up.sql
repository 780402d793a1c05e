CREATE INDEX CONCURRENTLY app_user_login_idx ON app_user (login);
CREATE INDEX CONCURRENTLY app_user_updated_idx ON app_user (updated_at);
