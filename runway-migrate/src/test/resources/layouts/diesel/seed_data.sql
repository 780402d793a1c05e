INSERT INTO app_user (login) VALUES ('seed');
