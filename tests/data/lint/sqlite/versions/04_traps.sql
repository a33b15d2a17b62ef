-- Keywords where they are not statements
--
-- Revision ID: lt04
-- Revises:

-- migrate:upgrade
CREATE TABLE log (msg TEXT);
CREATE TRIGGER trg_users_delete AFTER DELETE ON users
BEGIN
    DELETE FROM sessions WHERE user_id = old.id;
    UPDATE stats SET n = n - 1;
END;
INSERT INTO log (msg) VALUES ('TRUNCATE; DROP TABLE users; DELETE FROM users');
SELECT [drop table], `truncate` FROM "delete";
-- DELETE FROM users;
DELETE FROM sessions WHERE expires_at < datetime('now');
UPDATE users SET name = trim(name) WHERE name <> trim(name);
INSERT INTO log (msg) SELECT 'x' ON CONFLICT DO UPDATE SET msg = 'y';

-- migrate:downgrade
DROP TRIGGER trg_users_delete;
DROP TABLE log;
