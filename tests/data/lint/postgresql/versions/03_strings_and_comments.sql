-- Keywords in strings, identifiers, comments and bodies are not statements
--
-- Revision ID: pg03
-- Revises:

-- migrate:upgrade
INSERT INTO notes (body) VALUES ('DROP TABLE users; DELETE FROM users');
-- DROP TABLE users;
/* TRUNCATE users; /* nested: DELETE FROM users; */ still a comment */
SELECT "drop table", "truncate" FROM "delete";
INSERT INTO notes (body) VALUES (E'it\'s DROP TABLE time; TRUNCATE x');
CREATE FUNCTION purge_notes() RETURNS void LANGUAGE sql AS $body$
    DELETE FROM notes;
    UPDATE notes SET body = '';
$body$;
UPDATE settings SET value = 'x' WHERE key = 'DROP TABLE';
DELETE FROM sessions WHERE expires_at < now();
INSERT INTO counters (name, n) VALUES ('visits', 1)
    ON CONFLICT (name) DO UPDATE SET n = counters.n + 1;
ALTER TABLE orders ADD CONSTRAINT orders_user_fk
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL NOT VALID;
SELECT id FROM orders FOR UPDATE;

-- migrate:downgrade
DELETE FROM notes WHERE body LIKE 'DROP%';
DROP FUNCTION purge_notes();
ALTER TABLE orders DROP CONSTRAINT orders_user_fk;
