DROP INDEX CONCURRENTLY app_user_updated_idx;
DROP INDEX CONCURRENTLY app_user_login_idx;
