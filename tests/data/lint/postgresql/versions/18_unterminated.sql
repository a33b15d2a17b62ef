-- A script the runner cannot split
--
-- Revision ID: pg18
-- Revises:

-- migrate:upgrade
INSERT INTO notes (body) VALUES ('fine');
INSERT INTO notes (body) VALUES ('oops);
DROP TABLE users;

-- migrate:downgrade
DELETE FROM notes WHERE body = 'fine';
