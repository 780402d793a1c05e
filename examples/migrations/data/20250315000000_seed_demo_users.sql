-- runway:up
INSERT INTO users (email, name) VALUES ('ada@example.com', 'Ada'), ('grace@example.com', NULL);

-- runway:down
DELETE FROM users WHERE email IN ('ada@example.com', 'grace@example.com');
